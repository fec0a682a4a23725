// What a page shows from one request (the people, quick reply, webhook and assignment pages had the same
// state and loader each): nothing until the first answer, the failure of the last load (shown above
// what was there), and reload() after a change or on a poll. Only the newest answer is shown (useLatest).
import { useCallback, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { useLatest } from './latest';

export interface Loaded<T> {
  /** null until the first answer */
  value: T | null;
  /** set straight away, for a change the page shows before the next load confirms it */
  setValue: Dispatch<SetStateAction<T | null>>;
  /** the last load's failure (null once a load succeeds) */
  error: unknown;
  /** no answer yet and no failure */
  loading: boolean;
  /** Asks again; settles when this request has (never rejecting: a failure is `error`). */
  reload: () => Promise<void>;
}

export function useLoaded<T>(request: () => Promise<T>): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const latest = useLatest();
  // the newest request function (it may close over props), without making reload change with it
  const requestRef = useRef(request);
  requestRef.current = request;
  const reload = useCallback(() => {
    const p = requestRef.current();
    latest(p).then(
      (v) => {
        setValue(v);
        setError(null);
      },
      (e) => setError(e),
    );
    return Promise.allSettled([p]).then(() => undefined);
  }, [latest]);
  return { value, setValue, error, loading: value === null && error == null, reload };
}
