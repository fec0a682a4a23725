import { useSyncExternalStore } from 'react';

// The operating system's "reduce motion" setting (CSS prefers-reduced-motion): with it, antd's
// open/close motion (dialogs zooming, drawers sliding, popups and messages fading) is off
// (components/AntdRoot.tsx), charts draw at once (components/EChart.tsx), and styles.css turns our
// own transitions off. Followed live: the setting can change while the workbench is open.
const REDUCE = '(prefers-reduced-motion: reduce)';

const query = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(REDUCE) : null);

/** Whether the user asked for reduced motion now. */
export const prefersReducedMotion = () => !!query()?.matches;

function subscribe(onChange: () => void) {
  const q = query();
  q?.addEventListener('change', onChange);
  return () => q?.removeEventListener('change', onChange);
}

/** Whether the user asked for reduced motion, drawn again when that changes. */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, prefersReducedMotion, () => false);
}
