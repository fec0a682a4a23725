import { createContext, useContext, useEffect, useState, type ComponentType, type ReactNode } from 'react';

// antd needs its ConfigProvider (the theme whose styles are made at build time, the locale) and App
// (message, modal) around it. The desktop workbench puts them around everything; a phone's list and
// work order draw their first screen without antd (docs/decisions.md, "A phone's first screen evaluates
// no antd") and put them only around what needs antd (a drawer, a dialog, the filter form), loaded on
// first use. This module holds no antd: it loads components/AntdRoot.tsx when a zone first needs it.

/** True inside AntdRoot: a zone there draws its children as they are. */
export const InAntd = createContext(false);

type Root = ComponentType<{ children: ReactNode; bare?: boolean }>;
let root: Root | null = null;
/** Loads antd's providers (and antd's stylesheet): once, the first time any zone needs them. */
export const loadAntdRoot = async (): Promise<Root> => (root ??= (await import('../components/AntdRoot')).default);

/** antd's providers once loaded (asked for when `wanted`), else null. */
export function useAntdRoot(wanted = true): Root | null {
  const [r, setR] = useState<Root | null>(() => root);
  useEffect(() => {
    if (wanted && !r) void loadAntdRoot().then((x) => setR(() => x));
  }, [wanted, r]);
  return r;
}

/** Its children inside antd's providers: at once under AntdRoot, else once they have loaded. */
export function AntdZone({ children, fallback = null }: { children: ReactNode; fallback?: ReactNode }) {
  const inside = useContext(InAntd);
  const Root = useAntdRoot(!inside);
  if (inside) return <>{children}</>;
  return Root ? <Root bare>{children}</Root> : <>{fallback}</>;
}

declare global {
  interface Window {
    /** antd's files for a phone, named by the boot script (lib/early.ts), fetched after the first paint */
    __gdAntdFiles?: string[];
  }
}

/** Fetches antd's files at the lowest priority, without running them, so a phone's first use is quick: a few
 * links at a time when the page is idle, since adding all 40 at once was a task of about 100 ms at 4x CPU
 * (issue 13, the work order's blocking time; each link's request costs a few ms there, so four at a time
 * were still up to 50 ms on a loaded host). */
export function prefetchAntd() {
  const files = typeof window !== 'undefined' ? window.__gdAntdFiles : undefined;
  if (!files) return;
  window.__gdAntdFiles = undefined; // once
  const idle = (fn: () => void) => (window.requestIdleCallback ? window.requestIdleCallback(fn, { timeout: 2000 }) : window.setTimeout(fn, 50));
  let next = 0;
  const some = () => {
    for (const file of files.slice(next, next + PREFETCH_BATCH)) {
      const link = document.createElement('link');
      link.rel = 'prefetch';
      link.crossOrigin = '';
      link.href = `/${file}`;
      document.head.appendChild(link);
    }
    next += PREFETCH_BATCH;
    if (next < files.length) idle(some);
  };
  idle(some);
}
const PREFETCH_BATCH = 2;
