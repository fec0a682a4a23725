// Writes src/antd.generated.css: antd's styles for the components the workbench can show, in its
// theme (src/lib/antdTheme.ts), made here once instead of in every browser on every first render
// (the app sets `zeroRuntime`, so antd computes no component styles at run time; issue 13).
// Runs first in `npm run build` and `npm run dev`; the output is not committed.
//
// Which components: those src/ imports from 'antd', and every antd component their code reaches
// (a Table shows a Checkbox, a Pagination, a Dropdown, ...), found by following antd's own
// require()s. Each is rendered on the server (react-dom/server) with antd's style cache, which
// records the styles the render asked for; popups, dialogs and messages are rendered through
// their static panels, as they only appear after a click. The rules go into a cascade layer under
// src/styles.css, so our rules win over antd's as they did when antd's styles came first in <head>.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformWithEsbuild } from 'vite';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(web, 'src');
const out = path.join(src, 'antd.generated.css');
const require = createRequire(path.join(web, 'package.json'));
const React = require('react');
const { renderToString } = require('react-dom/server');
const { createCache, extractStyle, StyleProvider } = require('@ant-design/cssinjs');
const antd = require('antd');
const lib = path.dirname(require.resolve('antd/lib/index.js'));
const h = React.createElement;

// the theme, from the same file the app reads (its type annotations stripped)
const themeFile = path.join(src, 'lib', 'antdTheme.ts');
const { code } = await transformWithEsbuild(fs.readFileSync(themeFile, 'utf8'), themeFile, { format: 'esm' });
const { ANTD_THEME } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);

function* sources(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) yield p;
  }
}

/** The names src/ imports from 'antd' (values, not types). */
function importedNames() {
  const names = new Set();
  for (const f of sources(src)) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/import\s*{([^}]*)}\s*from\s*'antd'/g)) {
      for (const part of m[1].split(',')) {
        const name = part
          .trim()
          .split(/\s+as\s+/)[0]
          .trim();
        if (name && !name.startsWith('type ')) names.add(name);
      }
    }
  }
  return names;
}

const kebab = (name) => name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
const hasStyle = (dir) => fs.existsSync(path.join(lib, dir, 'style', 'index.js'));

/** The antd component folders (those with styles) the imported components' code reaches. */
function reachedComponents(names) {
  const seen = new Set();
  const dirs = new Set();
  const stack = [...names].map((n) => path.join(lib, kebab(n), 'index.js'));
  const resolve = (from, spec) => {
    const p = path.resolve(path.dirname(from), spec);
    return [`${p}.js`, path.join(p, 'index.js'), p].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  };
  while (stack.length) {
    const f = stack.pop();
    // locale files name other components' locale files only
    if (!f || seen.has(f) || f.includes(`${path.sep}locale${path.sep}`)) continue;
    seen.add(f);
    const top = path.relative(lib, f).split(path.sep)[0];
    if (top !== path.basename(f) && hasStyle(top)) dirs.add(top);
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) stack.push(resolve(f, m[1]));
  }
  return dirs;
}

const panel = (C, props) => h(C._InternalPanelDoNotUseOrYouWillBeFired, props);
const items = [{ key: 'a', label: 'a', children: 'a' }];
/** How to render a component so that all the styles it can ask for are asked for. */
const RENDER = {
  'config-provider': () => null,
  grid: () => null, // Row and Col
  app: () => h(antd.App, null, 'a'),
  badge: () => [h(antd.Badge, { count: 5 }), h(antd.Badge, { status: 'success', text: 'a' }), h(antd.Badge.Ribbon, { text: 'a' }, 'a')],
  button: () => [h(antd.Button, { type: 'primary' }, 'a'), h(antd.Button, { danger: true, icon: h('span') }), h(antd.Button, { type: 'link' }, 'a')],
  card: () => h(antd.Card, { title: 'a', extra: 'a', size: 'small' }, h(antd.Card.Meta, { title: 'a' })),
  checkbox: () => [h(antd.Checkbox, null, 'a'), h(antd.Checkbox.Group, { options: ['a'] })],
  'date-picker': () => [h(antd.DatePicker), h(antd.DatePicker.RangePicker), panel(antd.DatePicker)],
  descriptions: () => h(antd.Descriptions, { title: 'a', items, bordered: true }),
  drawer: () => panel(antd.Drawer, { title: 'a' }),
  dropdown: () => [h(antd.Dropdown, { menu: { items: [] } }, h('span')), panel(antd.Dropdown, { menu: { items } })],
  empty: () => [h(antd.Empty), h(antd.Empty, { image: antd.Empty.PRESENTED_IMAGE_SIMPLE })],
  form: () => h(antd.Form, null, h(antd.Form.Item, { label: 'a', help: 'a', validateStatus: 'error', required: true }, h(antd.Input))),
  image: () => h(antd.Image, { src: 'a.png' }),
  input: () => [h(antd.Input), h(antd.Input.TextArea, { showCount: true }), h(antd.Input.Search), h(antd.Input.Password), h(antd.Input.OTP)],
  layout: () => h(antd.Layout, null, h(antd.Layout.Sider), h(antd.Layout, null, h(antd.Layout.Header), h(antd.Layout.Content), h(antd.Layout.Footer))),
  list: () => h(antd.List, { dataSource: ['a'], renderItem: (x) => h(antd.List.Item, null, h(antd.List.Item.Meta, { title: x })) }),
  menu: () => h(antd.Menu, { items: [{ key: 'a', label: 'a', children: [{ key: 'b', label: 'b' }] }], mode: 'inline' }),
  message: () => panel(antd.message, { content: 'a' }),
  modal: () => [panel(antd.Modal, { title: 'a' }), panel(antd.Modal, { type: 'confirm', title: 'a' })],
  notification: () => panel(antd.notification, { title: 'a' }),
  popconfirm: () => [h(antd.Popconfirm, { title: 'a' }, h('span')), panel(antd.Popconfirm, { title: 'a' })],
  popover: () => [h(antd.Popover, { content: 'a' }, h('span')), panel(antd.Popover, { content: 'a' })],
  progress: () => [h(antd.Progress, { percent: 5 }), h(antd.Progress, { type: 'circle', percent: 5 })],
  radio: () => [h(antd.Radio, null, 'a'), h(antd.Radio.Group, { optionType: 'button', options: ['a'] })],
  result: () => h(antd.Result, { status: 'error', title: 'a' }),
  select: () => [h(antd.Select, { mode: 'multiple', options: [{ value: 'a' }] }), panel(antd.Select, { options: [{ value: 'a' }] })],
  skeleton: () => h(antd.Skeleton, { active: true, avatar: true }),
  space: () => [h(antd.Space, null, 'a'), h(antd.Space.Compact, null, h(antd.Button), h(antd.Input))],
  spin: () => [h(antd.Spin), h(antd.Spin, { spinning: true }, 'a')],
  statistic: () => [h(antd.Statistic, { title: 'a', value: 1 }), h(antd.Statistic.Timer, { type: 'countdown', value: 0 })],
  steps: () => h(antd.Steps, { items: [{ title: 'a' }] }),
  table: () =>
    h(antd.Table, {
      rowKey: 'a',
      rowSelection: {},
      dataSource: [{ a: 'a' }],
      columns: [{ title: 'a', dataIndex: 'a', sorter: true, filters: [{ text: 'a', value: 'a' }] }],
      pagination: { total: 100, showSizeChanger: true },
    }),
  tabs: () => h(antd.Tabs, { items }),
  tag: () => [h(antd.Tag, null, 'a'), h(antd.Tag, { color: 'blue' }, 'a'), h(antd.Tag, { color: 'success' }, 'a'), h(antd.Tag, { color: '#123456' }, 'a')],
  timeline: () => h(antd.Timeline, { items: [{ content: 'a' }] }),
  tooltip: () => [h(antd.Tooltip, { title: 'a' }, h('span')), panel(antd.Tooltip, { title: 'a' })],
  tree: () => h(antd.Tree, { treeData: [{ key: 'a', title: 'a' }] }),
  typography: () =>
    h(
      antd.Typography,
      null,
      h(antd.Typography.Title, null, 'a'),
      h(antd.Typography.Text, { type: 'secondary' }, 'a'),
      h(antd.Typography.Paragraph, null, 'a'),
      h(antd.Typography.Link, null, 'a'),
    ),
};
const pascal = (dir) => dir.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());

const reached = reachedComponents(importedNames());
const cache = createCache();
for (const dir of [...reached].sort()) {
  const render =
    RENDER[dir] ??
    (() => {
      const C = antd[pascal(dir)];
      if (!C) throw new Error(`antd-css: no way to render antd's ${dir}: add it to RENDER in ${path.relative(web, fileURLToPath(import.meta.url))}`);
      return h(C);
    });
  try {
    renderToString(h(StyleProvider, { cache }, h(antd.ConfigProvider, { theme: ANTD_THEME }, ...[render()].flat())));
  } catch (e) {
    throw new Error(`antd-css: rendering antd's ${dir}: ${e.message}`);
  }
}
const css = extractStyle(cache, { plain: true, types: 'style' });
const text = `/* made by scripts/antd-css.mjs from antd ${antd.version} for: ${[...reached].sort().join(' ')} */\n@layer antd {\n${css}\n}\n`;
if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== text) fs.writeFileSync(out, text);
console.log(`antd-css: ${path.relative(web, out)}, ${reached.size} components, ${text.length} bytes`);
