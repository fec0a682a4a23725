import { get } from './api';
import type { Rules } from './types';

let cache: Promise<Rules | null> | null = null;
/** what the last read answered (undefined: none answered yet) */
let known: Rules | null | undefined;

/** The rules as last read, if a read has answered: a case's page is drawn with them at once (the
 * reply form growing when they arrived moved the cards below it, issue 13). */
export function knownRules(): Rules | null | undefined {
  return known;
}

/** The platform rules, or null when the server has none (404: collaborative work orders not built yet). */
export function loadRules(force = false): Promise<Rules | null> {
  if (!cache || force) {
    cache = get('/rules')
      .catch((e) => {
        cache = null;
        if (e?.status === 404) return null;
        throw e;
      })
      .then((r) => (known = r));
  }
  return cache;
}
