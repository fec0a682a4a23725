import { useEffect, useState } from 'react';

/**
 * A module loaded once and then kept, so a component can draw from it without Suspense once it is there
 * (a wide screen's list waits for its filter form and table before it is first drawn; a phone loads
 * them on first use): `load()` starts or joins the loading, `use(wanted)` is the module once loaded.
 */
export function chunk<M>(importer: () => Promise<M>) {
  let mod: M | null = null;
  let pending: Promise<M> | null = null;
  const load = (): Promise<M> => (mod ? Promise.resolve(mod) : (pending ??= importer().then((m) => (mod = m))));
  function use(wanted: boolean): M | null {
    const [m, setM] = useState<M | null>(() => mod);
    useEffect(() => {
      if (wanted && !m) void load().then((x) => setM(() => x));
    }, [wanted, m]);
    return m;
  }
  return { load, use };
}
