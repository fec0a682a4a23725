// A Vite plugin: puts src/boot.ts into the built index.html as an inline script, with the names of
// the files the workbench and the list and work order pages load (lib/early.ts). Inline, because a
// script file would itself be one more round trip before the requests it starts; before the
// stylesheet, because an inline script waits for a stylesheet above it. `npm run dev` has no boot
// script: the pages then ask for everything themselves, as they also do when it is missing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(web, 'src');

/** The modules whose chunks lib/early.ts names: the workbench, each early route's page, what a wide
 * screen draws them with (antd's shell, the table and filter form, the rest of a work order) and antd's
 * providers, menu drawer, a case's step forms and a file's preview, which a phone fetches after its first
 * paint. */
const EARLY = {
  workbench: [path.join(src, 'components', 'Workbench.tsx')],
  list: [path.join(src, 'pages', 'WorkorderList.tsx')],
  workorder: [path.join(src, 'pages', 'WorkorderDetail.tsx')],
  desk: [path.join(src, 'components', 'DeskWorkbench.tsx')],
  deskList: [path.join(src, 'components', 'WorkorderGrid.tsx'), path.join(src, 'components', 'ListFilters.tsx')],
  deskWorkorder: [path.join(src, 'pages', 'WorkorderRest.tsx')],
  phoneAntd: [
    path.join(src, 'components', 'AntdRoot.tsx'),
    path.join(src, 'components', 'PhoneMenu.tsx'),
    path.join(src, 'pages', 'collab', 'CaseForms.tsx'),
    path.join(src, 'components', 'AttachmentViewer.tsx'),
  ],
};

/** A chunk's file, the files it imports statically (transitively) and their stylesheets. */
function closure(bundle, chunk, into = new Set()) {
  if (into.has(chunk.fileName)) return into;
  into.add(chunk.fileName);
  for (const css of chunk.viteMetadata?.importedCss ?? []) into.add(css);
  for (const f of chunk.imports) closure(bundle, bundle[f], into);
  return into;
}

export function inlineBoot() {
  return {
    name: 'gongdan-inline-boot',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        if (!ctx.bundle || path.basename(ctx.filename) !== 'index.html') return html;
        const chunks = Object.values(ctx.bundle).filter((c) => c.type === 'chunk');
        const entry = closure(ctx.bundle, ctx.chunk); // index.html loads these itself
        const files = {};
        for (const [key, modules] of Object.entries(EARLY)) {
          const into = new Set();
          for (const module of modules) {
            const chunk = chunks.find((c) => c.moduleIds.includes(module));
            if (!chunk) throw new Error(`inline-boot: no chunk holds ${path.relative(web, module)}`);
            closure(ctx.bundle, chunk, into);
          }
          files[key] = [...into].filter((f) => !entry.has(f));
        }
        const out = await build({
          configFile: false,
          root: web,
          logLevel: 'warn',
          publicDir: false,
          define: { __GD_EARLY_CHUNKS__: JSON.stringify(files) },
          build: { write: false, minify: true, lib: { entry: path.join(src, 'boot.ts'), formats: ['iife'], name: 'gongdanBoot' } },
        });
        const code = (Array.isArray(out) ? out[0] : out).output[0].code.trim();
        if (/<\/script/i.test(code)) throw new Error('inline-boot: the boot script holds </script');
        if (!html.includes('<title>')) throw new Error('inline-boot: index.html has no <title> to put the boot script before');
        return html.replace('<title>', `<script>${code}</script>\n    <title>`);
      },
    },
  };
}
