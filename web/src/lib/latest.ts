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
}

export function createLatest(): Latest {
  let newest = 0;
  const track = <T>(p: Promise<T>): Promise<T> => {
    const mine = ++newest;
    return new Promise<T>((resolve, reject) => {
      p.then(
        (v) => mine === newest && resolve(v),
        (e) => mine === newest && reject(e),
      );
    });
  };
  return Object.assign(track, {
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
