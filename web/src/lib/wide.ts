import { useEffect, useState, useSyncExternalStore } from 'react';

// A screen as wide as antd's md breakpoint (768 px) shows the desktop workbench (antd's shell, the
// table); a narrower one the phone's (plain elements first, antd on first use; docs/decisions.md,
// "A phone's first screen evaluates no antd"). Read with matchMedia, so that deciding costs no antd.
const WIDE = '(min-width: 768px)';

const query = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(WIDE) : null);

/** Whether the screen is wide now. */
export const isWide = () => !!query()?.matches;

function subscribe(onChange: () => void) {
  const q = query();
  q?.addEventListener('change', onChange);
  return () => q?.removeEventListener('change', onChange);
}

/** Whether the screen is wide, drawn again when that changes. */
export function useWide(): boolean {
  return useSyncExternalStore(subscribe, isWide, () => true);
}

/**
 * Whether the screen is wide, changed only once a new width has held for `settleMs`: the workbench draws
 * a different shell (and the page anew) for each, and a passing change (a full-page screenshot measures
 * the page at another size for a moment) must not draw everything again.
 */
export function useSettledWide(settleMs = 500): boolean {
  const now = useWide();
  const [settled, setSettled] = useState(now);
  useEffect(() => {
    if (now === settled) return;
    const timer = window.setTimeout(() => setSettled(isWide()), settleMs);
    return () => clearTimeout(timer);
  }, [now, settled, settleMs]);
  return settled;
}
