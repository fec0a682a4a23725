// Saved filters (docs/savedfilters.md): a list and its filter kept under a name, with the count of
// work orders it matches now. One copy per browser tab, read again (at most once a second) when the
// live stream says work orders changed, shared by the lists menu and the list page.
import { useEffect, useRef, useState } from 'react';
import { del, get, post, type Body } from './api';
import { useApp } from './app';
import { hasEarly } from './early';
import { filtersFromSearch, searchFromFilters } from './listParams';
import { logFailure } from './logFailure';

export const SAVEDFILTER_NAME_MAX = 30;

export interface SavedFilter {
  id: string;
  name: string;
  view: string;
  query: string;
  shared: boolean;
  can_manage: boolean;
  /** null: the reader may not open the filter's list (a lead's view shared with an agent) */
  count: number | null;
  count_capped: boolean;
}

/**
 * The filter part of a list page's address as the API reads it, which a saved filter keeps: no platform shop, no
 * page, and the page's custom field (field_key, field_value) as field[<key>]=<value> (docs/types.md), since the
 * server checks and counts the query as GET /workorders would.
 */
export function filterQuery(sp: URLSearchParams): string {
  const f = filtersFromSearch(sp);
  const { field_key: key, field_value: value } = f;
  delete f.shop_id;
  delete f.field_key;
  delete f.field_value;
  const q = searchFromFilters(f);
  if (key && value) q.set(`field[${key}]`, value);
  return q.toString();
}

const FIELD_PARAM = /^field\[(.+)\]$/;

/** A saved filter's query as a list page's address: its field[<key>]=<value> is the page's field_key and field_value. */
export function addressOf(query: string): URLSearchParams {
  const sp = new URLSearchParams(query);
  for (const [k, v] of [...sp]) {
    const m = FIELD_PARAM.exec(k);
    if (!m) continue;
    sp.delete(k);
    // the page filters on one field; a filter saved through the API with more opens on its first
    if (!sp.has('field_key')) {
      sp.set('field_key', m[1]);
      sp.set('field_value', v);
    }
  }
  return sp;
}

/** Where a saved filter opens. */
export function filterPath(f: Pick<SavedFilter, 'view' | 'query'>): string {
  const address = addressOf(f.query).toString();
  return `/list/${f.view}${address ? `?${address}` : ''}`;
}

/** Is the list at `view` with address `sp` showing saved filter `f`? */
export function isShowing(f: SavedFilter, view: string, sp: URLSearchParams): boolean {
  return f.view === view && filterQuery(addressOf(f.query)) === filterQuery(sp);
}

/** "12", "1000+" (the server counts up to 1000), or "" when there is no count. */
export function countLabel(f: SavedFilter): string {
  if (f.count === null) return '';
  return f.count_capped ? `${f.count}+` : String(f.count);
}

export const saveFilter = (body: Body<'post', '/savedfilters'>) => post('/savedfilters', { body });
export const deleteFilter = (id: string) => del('/savedfilters/{id}', { params: { id } });

// ---- the tab's one copy ----
let owner: string | null = null;
let items: SavedFilter[] | null = null;
/** The first read, made before the signed-in user is known (preloadSavedFilters); the first user to ask takes it. */
let preloaded: SavedFilter[] | null = null;
/** that read (its filters, or null when it failed), and whether it is still on its way */
let preloading: Promise<SavedFilter[] | null> | null = null;
let preloadPending = false;

/**
 * The first read of a visit, before the list's first render: App.tsx's list route waits for the answer
 * index.html's boot script asked for. 保存的筛选 is then drawn with its filters at once: the
 * line grew when they arrived after, and moved the whole list below it on every first load (issue 13,
 * Lighthouse's layout shift).
 */
export function preloadSavedFilters(): Promise<void> {
  // only a first load's, which index.html started (a later visit to a list has the shell's copy)
  if (!preloading && !hasEarly('/savedfilters')) return Promise.resolve();
  if (!preloading) {
    preloadPending = true;
    preloading = get('/savedfilters').then(
      (r) => r.items,
      (e) => {
        logFailure('the saved filters (asked again when the list shows them)', e);
        return null;
      },
    );
    void preloading.then((got) => {
      preloadPending = false;
      // still nobody's (a user who asked meanwhile takes it through fetchNow)
      if (owner === null) preloaded = got;
    });
  }
  return preloading.then(() => undefined);
}
const subscribers = new Set<(x: SavedFilter[]) => void>();
let inflight = false;
/** whose filters the read under way is for */
let readingFor: string | null = null;
let again = false;
let timer: number | null = null;
let last = 0;

/** Reads the filters, or takes them from `pending`, a read already on its way (null: it failed, read again). */
function fetchNow(pending?: Promise<SavedFilter[] | null>) {
  if (inflight) {
    again = true;
    return;
  }
  inflight = true;
  last = Date.now();
  const forUser = owner;
  readingFor = forUser;
  (pending ?? get('/savedfilters').then((r) => r.items))
    .then((got) => {
      if (forUser !== owner) return;
      if (got === null) {
        again = true;
        return;
      }
      items = got;
      subscribers.forEach((fn) => fn(got));
    })
    .catch((e) => logFailure('the saved filters (the list keeps the last ones read)', e))
    .finally(() => {
      inflight = false;
      readingFor = null;
      if (again) {
        again = false;
        refreshSavedFilters();
      }
    });
}

/** Reads the saved filters again: at once, or within a second of the last read (live updates come in bursts). */
export function refreshSavedFilters(now = false) {
  if (now) {
    fetchNow();
    return;
  }
  if (timer !== null) return;
  timer = window.setTimeout(
    () => {
      timer = null;
      fetchNow();
    },
    Math.max(0, 1000 - (Date.now() - last)),
  );
}

/** The reader's saved filters with live counts (null while loading; [] when `enabled` is false). */
export function useSavedFilters(enabled: boolean): SavedFilter[] | null {
  const { user, onWorkorder, counts } = useApp();
  const uid = enabled ? (user?.id ?? null) : null;
  const [list, setList] = useState<SavedFilter[] | null>(() => (uid && uid === owner ? items : uid && !owner ? preloaded : null));
  useEffect(() => {
    if (!uid) return;
    const first = owner === null;
    if (owner !== uid) {
      // the preloaded read was this session's, made before /me said whose it is
      items = first ? preloaded : null;
      owner = uid;
      preloaded = null;
    }
    subscribers.add(setList);
    // the shell's menu and the list's 保存的筛选 both ask when they mount: one read for the two,
    // and the first of a visit takes the boot script's if it is still on its way
    if (items === null && !(inflight && readingFor === uid)) fetchNow(first && preloadPending && preloading ? preloading : undefined);
    else setList(items);
    return () => {
      subscribers.delete(setList);
    };
  }, [uid]);
  useEffect(() => (uid ? onWorkorder(() => refreshSavedFilters()) : undefined), [uid, onWorkorder]);
  // live counts moved: the filters' counts may have too (not when the counts first arrive: the
  // filters were just asked for)
  const seenCounts = useRef(counts);
  useEffect(() => {
    const moved = seenCounts.current !== null && counts !== seenCounts.current;
    seenCounts.current = counts;
    if (uid && counts && moved) refreshSavedFilters();
  }, [uid, counts]);
  return enabled ? list : [];
}
