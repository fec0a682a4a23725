import { get } from './api';
import type { Rules } from './types';

let cache: Promise<Rules | null> | null = null;

/** The platform rules, or null when the server has none (404: collaborative work orders not built yet). */
export function loadRules(force = false): Promise<Rules | null> {
  if (!cache || force) {
    cache = get('/rules').catch((e) => {
      cache = null;
      if (e?.status === 404) return null;
      throw e;
    });
  }
  return cache;
}
