// "Latest request wins": a page that asks again before the answer came (a new filter, the next
// page, another version, a poll) shows only the newest answer, never an older one that arrived
// late, and nothing once it is gone. One tracker per kind of request; the pages' own counters
// and `alive` flags were six copies of this.
import { useEffect, useRef } from 'react';

export interface Latest {
  /** A promise that settles as `p` does while `p` is the newest request tracked here, and never
   *  otherwise: the caller's then/catch/finally are skipped for an answer that no longer counts. */
  <T>(p: Promise<T>): Promise<T>;
  /** Let no request tracked so far deliver (the page is leaving). */
  cancel(): void;
  /** Tracks a request that also reports along the way (a bulk run's progress): `live()` is true while it is the
   *  newest, for its callbacks; `settle(p)` is its answer as above. */
  begin(): Tracked;
}

export interface Tracked {
  live(): boolean;
  settle<T>(p: Promise<T>): Promise<T>;
}

export function createLatest(): Latest {
  let newest = 0;
  const begin = (): Tracked => {
    const mine = ++newest;
    const live = () => mine === newest;
    const settle = <T>(p: Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        p.then(
          (v) => live() && resolve(v),
          (e) => live() && reject(e),
        );
      });
    return { live, settle };
  };
  const track = <T>(p: Promise<T>): Promise<T> => begin().settle(p);
  return Object.assign(track, {
    begin,
    cancel: () => {
      newest++;
    },
  });
}

/** A tracker for one component, cancelled when it unmounts. */
export function useLatest(): Latest {
  const ref = useRef<Latest | null>(null);
  if (!ref.current) ref.current = createLatest();
  const latest = ref.current;
  useEffect(() => () => latest.cancel(), [latest]);
  return latest;
}
