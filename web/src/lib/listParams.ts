// URL search params ↔ list filters, kept pure so it can be unit-tested.
import type { Query } from './api';
import type { QueryValue } from './query';

export const FILTER_KEYS = [
  'type',
  'state',
  'handler',
  'creator',
  'order_no',
  'buyer',
  'created_from',
  'created_to',
  'deadline_from',
  'deadline_to',
  'q',
  'sort',
  'shop_id',
  'field_key',
  'field_value',
] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** rows per page of a list (the first page is also what index.html's boot script asks for, lib/early.ts) */
export const LIST_PAGE = 50;

export const SHOP_VIEWS = ['todo', 'created', 'assigned', 'shop', 'overdue', 'reassign'] as const;
/** the views of the whole shop, for its owner and leads */
export const LEAD_VIEWS: readonly string[] = ['shop', 'reassign'];
export const PLATFORM_VIEWS = ['intervention', 'platform_verify', 'appeal_review', 'created'] as const;
export type View = (typeof SHOP_VIEWS)[number] | (typeof PLATFORM_VIEWS)[number];
/** Is a value (a route parameter) one of a list's members? Narrows it to the list's union. */
export function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return (list as readonly string[]).includes(v);
}
export const SORTS = ['deadline', '-deadline', 'created', '-created'] as const;
/** The platform works across shops: it may also group its lists by shop. */
export const PLATFORM_SORTS = [...SORTS, 'shop', '-shop'] as const;

/**
 * The order a view opens in, chosen by what its users look for first: lists of work still to do
 * (待我处理, 已超期, the platform queues) by the nearest deadline; lists that also hold finished work
 * (我创建的, 我处理的, 全店工单) newest first, what was just created or handed over. Sorted by deadline,
 * such a list shows its open work (the overdue first) and then the finished work (the server's order).
 */
export function defaultSort(view: string): (typeof PLATFORM_SORTS)[number] {
  return view === 'created' || view === 'assigned' || view === 'shop' ? '-created' : 'deadline';
}

export function filtersFromSearch(sp: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = sp.get(k);
    if (v !== null && v.trim() !== '') f[k] = v.trim();
  }
  if (f.sort && !(PLATFORM_SORTS as readonly string[]).includes(f.sort)) delete f.sort;
  return f;
}

export function searchFromFilters(f: Filters): URLSearchParams {
  const sp = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v !== undefined && v !== null && String(v).trim() !== '') sp.set(k, String(v).trim());
  }
  return sp;
}

/** The query of GET /workorders, typed by the contract (lib/api.ts). */
export type ListQuery = Query<'get', '/workorders'>;

/**
 * The query for GET /workorders. It always names the sort, so the list is in the order the sort control shows.
 * The filters are the address bar's text, sent as given: the server checks each (a 422 names the parameter).
 */
export function listQuery(view: string, f: Filters, limit: number, cursor?: string | null): ListQuery {
  const q: Record<string, QueryValue> = { view, limit };
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v && k !== 'field_key' && k !== 'field_value') q[k] = v;
  }
  // a custom field (docs/types.md): the API reads field[<key>]=<value>
  if (f.field_key && f.field_value) q.field = { [f.field_key]: f.field_value };
  q.sort = f.sort ?? defaultSort(view);
  if (cursor) q.cursor = cursor;
  return q as ListQuery;
}
