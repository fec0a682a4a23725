import { startTransition, useEffect, useState } from 'react';

/**
 * False on a page's first render for `key`, true once the browser has painted that render. A page draws
 * its first screen (what a phone shows first, the element Lighthouse times as the largest paint) alone,
 * and the rest below it after the paint, in a transition: drawn at once, the rest's work came before
 * the first paint and made it seconds late on a slow phone (issue 13). The rest is appended below or
 * beside the first screen, never above it, so nothing on screen moves.
 */
export function useAfterPaint(key: unknown): boolean {
  const [painted, setPainted] = useState<unknown>(undefined);
  const ready = painted === key && key !== undefined;
  useEffect(() => {
    if (key === undefined) return;
    let timer = 0;
    const show = () => startTransition(() => setPainted(key));
    // rAF runs just before the paint of this render, the timeout just after it; a tab in the background
    // paints nothing and runs no rAF, so a second timer shows the rest there anyway
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(show);
    });
    const hidden = window.setTimeout(show, 1000);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      clearTimeout(hidden);
    };
  }, [key]);
  return ready;
}

/**
 * How many of `total` items to draw: `first` on the first render for `key`, then `step` more after each
 * paint, so that drawing a long list is a row of short tasks rather than one long one on a slow phone
 * (Lighthouse counts each task over 50 ms against the page). Items are only ever added at the end.
 */
export function useGrowing(key: unknown, total: number, first: number, step: number): number {
  const [shown, setShown] = useState<{ key: unknown; n: number }>({ key, n: first });
  const n = shown.key === key ? shown.n : first;
  useEffect(() => {
    if (key === undefined || n >= total) return;
    let timer = 0;
    const more = () => startTransition(() => setShown({ key, n: n + step }));
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(more);
    });
    const hidden = window.setTimeout(more, 1000); // a tab in the background runs no rAF
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      clearTimeout(hidden);
    };
  }, [key, n, total, step]);
  return Math.min(n, total);
}
