// A signed-in page's first requests, started by index.html itself (issue 13). On a phone the
// JavaScript takes most of a second or more to arrive; the workbench would only then ask /me,
// and only after /me (and the page's chunks) ask for the list or the work order: a chain of
// round trips before the first rows. index.html's inline boot script (src/boot.ts, inlined at
// build time by scripts/inline-boot.mjs) starts these requests, and the page's chunks, while the
// HTML is parsed; lib/api.ts then takes each answer once instead of asking again.
import { filtersFromSearch, isOneOf, LIST_PAGE, listQuery, SHOP_VIEWS } from './listParams';
import { qs } from './query';
import { hadSession } from './session';

interface EarlyRequest {
  /** the page (path and query) the request was made for */
  at: string;
  /** when (performance.now()) */
  t: number;
  res: Promise<Response>;
}

declare global {
  interface Window {
    __gdEarly?: Record<string, EarlyRequest>;
  }
}

/** An answer older than this is not used (the page took that long to load: ask again). */
const MAX_AGE_MS = 30_000;

/** The signed-in pages whose chunks the boot script fetches at once (and App.tsx imports at once). */
export type EarlyRoute = 'list' | 'workorder';

export function earlyRoute(pathname: string): EarlyRoute | null {
  if (pathname.startsWith('/list/')) return 'list';
  if (pathname.startsWith('/wo/')) return 'workorder';
  return null;
}

/** The API paths (under /api/v1) the page at this address asks for first, as lib/api.ts names them. */
export function earlyPaths(pathname: string, search: string): string[] {
  const paths = ['/me'];
  const list = /^\/list\/([a-z_]+)$/.exec(pathname);
  // the list's first page, as WorkorderTable asks for it (a view this user may not open is
  // refused by the server and never taken: the page sends them elsewhere first), and the saved
  // filters shown above it (SavedViews), whose line is the largest thing the list draws first
  if (list && isOneOf(SHOP_VIEWS, list[1]))
    paths.push(`/workorders${qs(listQuery(list[1], filtersFromSearch(new URLSearchParams(search)), LIST_PAGE))}`, '/savedfilters');
  const wo = /^\/wo\/(\d{1,20})$/.exec(pathname);
  if (wo) paths.push(`/workorders/${wo[1]}`);
  return paths;
}

/**
 * The boot script: for a browser that signed in before, start the page's first requests and
 * fetch its chunks (`chunks`: the workbench's and each early route's files, from the build).
 */
export function startEarly(chunks: Record<'workbench' | EarlyRoute | 'desk' | 'deskList' | 'deskWorkorder' | 'phoneAntd', string[]>) {
  if (!hadSession()) return;
  document.documentElement.classList.add('gd-session'); // shows index.html's loading screen (styles.css)
  const { pathname, search } = window.location;
  const at = pathname + search;
  const t = performance.now();
  const early: Record<string, EarlyRequest> = {};
  for (const path of earlyPaths(pathname, search)) {
    const res = fetch(`/api/v1${path}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    res.catch(() => undefined); // a failure is the taker's to report; one never taken is no error
    early[path] = { at, t, res };
  }
  window.__gdEarly = early;
  const route = earlyRoute(pathname);
  // a wide screen draws antd's shell (and the list's table and filter form, a work order's rest) with
  // the page; a phone draws its first screen without antd and fetches antd's files after it (PhoneShell)
  const wide = window.matchMedia?.('(min-width: 768px)').matches;
  const files = [...chunks.workbench, ...(route ? chunks[route] : [])];
  if (wide) files.push(...chunks.desk, ...(route === 'list' ? chunks.deskList : route === 'workorder' ? chunks.deskWorkorder : []));
  else window.__gdAntdFiles = chunks.phoneAntd.filter((f) => !files.includes(f));
  for (const file of new Set(files)) {
    // as Vite's own preload would (crossorigin, so the module and style requests reuse them);
    // a stylesheet is only fetched here, Vite applies it when the chunk is imported
    const link = document.createElement('link');
    if (file.endsWith('.css')) {
      link.rel = 'preload';
      link.as = 'style';
    } else link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = `/${file}`;
    document.head.appendChild(link);
  }
}

/** Whether the boot script asked for this GET on this page, and nobody took the answer yet. */
export function hasEarly(path: string): boolean {
  return typeof window !== 'undefined' && !!window.__gdEarly?.[path];
}

/** The answer the boot script started for this GET, once, while still on the page it was started for. */
export function takeEarly(path: string): Promise<Response> | null {
  if (typeof window === 'undefined') return null;
  const all = window.__gdEarly;
  const e = all?.[path];
  if (!all || !e) return null;
  delete all[path];
  if (e.at !== window.location.pathname + window.location.search || performance.now() - e.t > MAX_AGE_MS) return null;
  return e.res;
}
