import { lazy, Suspense } from 'react';
import { isWide, useSettledWide } from '../lib/wide';
import PhoneShell from './PhoneShell';
import PlainSpin from './PlainSpin';

// The signed-in workbench, a chunk of its own (the sign-in page carries none of it) that holds no antd:
// a wide screen loads the desktop workbench (antd's providers and shell, DeskWorkbench) before it is
// first drawn (App.tsx waits for workbenchReady), a phone draws PhoneShell, whose first screen runs no
// antd (docs/decisions.md, "A phone's first screen evaluates no antd").
let Desk: typeof import('./DeskWorkbench').default | null = null;
const loadDesk = async () => {
  Desk ??= (await import('./DeskWorkbench')).default;
  return { default: Desk };
};
const LazyDesk = lazy(loadDesk);

/** What the workbench needs before it is first drawn: the desktop's chunk on a wide screen. */
export const workbenchReady = () => (isWide() ? loadDesk().then(() => undefined) : Promise.resolve());

export default function Workbench() {
  const wide = useSettledWide();
  if (!wide) return <PhoneShell />;
  if (Desk) return <Desk />;
  // a phone turned to a wide screen: the desktop's chunk loads now
  return (
    <Suspense fallback={<PlainSpin />}>
      <LazyDesk />
    </Suspense>
  );
}
