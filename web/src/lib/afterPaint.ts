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
