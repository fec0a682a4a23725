import { lazy, Suspense, useCallback, useRef, useState, type ReactNode } from 'react';
import type { Notices } from '../components/NoticeHolder';
import { AntdZone } from './antdZone';
import { isWide } from './wide';

export type { Notices };
const NoticeHolder = lazy(() => import('../components/NoticeHolder'));

/**
 * antd's message and modal for a page that holds no antd (the work order page), loaded on first use: a
 * phone's work order draws no antd at all until an action reports (docs/decisions.md, "A phone's work
 * order evaluates no antd"), while a wide screen, whose shell is antd's, has them at once. `holder` goes
 * anywhere in the page; `get()` settles once they are there.
 */
export function useNotices(): { holder: ReactNode; get: () => Promise<Notices> } {
  const [wanted, setWanted] = useState(isWide);
  const ready = useRef<Notices | null>(null);
  const waiting = useRef<((n: Notices) => void)[]>([]);
  const onReady = useCallback((n: Notices) => {
    ready.current = n;
    for (const w of waiting.current.splice(0)) w(n);
  }, []);
  const get = useCallback(
    () =>
      ready.current
        ? Promise.resolve(ready.current)
        : new Promise<Notices>((resolve) => {
            waiting.current.push(resolve);
            setWanted(true);
          }),
    [],
  );
  const holder = wanted ? (
    <AntdZone>
      <Suspense fallback={null}>
        <NoticeHolder onReady={onReady} />
      </Suspense>
    </AntdZone>
  ) : null;
  return { holder, get };
}
