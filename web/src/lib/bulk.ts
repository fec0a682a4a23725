// Bulk work in the workbench (docs/bulk.md): the selected work orders go to POST /workorders/bulk in
// chunks, so one progress bar moves as each chunk is answered, and every id gets its own result
// (done, or why not). Kept apart from the page so the chunking and the collection can be unit-tested.
import { post, type Answer, type Body } from './api';

/** The most work orders one bulk run takes (the server acts on at most 500 per request too). */
export const BULK_MAX = 500;
/** Ids per request: small enough that the bar moves, large enough that 500 take ten requests. */
export const BULK_CHUNK = 50;

export type BulkAction = 'assign' | 'transfer' | 'chase' | 'note' | 'complete' | 'cancel';
export const BULK_ACTIONS: readonly BulkAction[] = ['assign', 'transfer', 'chase', 'note', 'complete', 'cancel'];

export interface BulkFields {
  to?: string;
  reason?: string;
  text?: string;
}

export interface BulkError {
  status: number;
  code: string;
  message: string;
  field?: string;
}

export interface BulkItem {
  id: string;
  ok: boolean;
  version?: number;
  error?: BulkError;
}

type BulkRequest = Body<'post', '/workorders/bulk'>;
type BulkAnswer = Answer<'post', '/workorders/bulk'>;

export function chunks<T>(xs: readonly T[], size = BULK_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** The body of one request: only the fields the action takes. */
export function bulkBody(action: BulkAction, ids: string[], f: BulkFields): BulkRequest {
  const body: BulkRequest = { action, ids };
  if (action === 'assign' || action === 'transfer') body.to = f.to;
  if ((action === 'transfer' || action === 'cancel') && f.reason?.trim()) body.reason = f.reason;
  if ((action === 'note' || action === 'chase' || action === 'complete') && f.text?.trim()) body.text = f.text;
  return body;
}

// what runBulk reads of an answer (the counts it makes itself, per id)
type Send = (body: BulkRequest) => Promise<Pick<BulkAnswer, 'items'>>;

/**
 * Runs `action` on `ids` one chunk after another, reporting after each chunk how many have an answer.
 * A chunk the server refuses whole (or that never reaches it) fails each of its ids with that error;
 * the next chunks still run. The result has one item per id, in the order given.
 */
export async function runBulk(
  action: BulkAction,
  ids: readonly string[],
  fields: BulkFields,
  onProgress: (answered: number, total: number) => void,
  send: Send = (body) => post('/workorders/bulk', { body }),
): Promise<BulkItem[]> {
  const results: BulkItem[] = [];
  onProgress(0, ids.length);
  for (const part of chunks(ids)) {
    try {
      const r = await send(bulkBody(action, part, fields));
      for (const it of r.items)
        results.push(it.ok ? { id: it.id, ok: true, version: it.version } : { id: it.id, ok: false, error: { status: 200, ...it.error! } });
    } catch (e) {
      const err = e as { status?: number; code?: string; message?: string; field?: string };
      const error: BulkError = { status: err.status ?? 0, code: err.code ?? 'network', message: err.message ?? '', field: err.field };
      for (const id of part) results.push({ id, ok: false, error });
    }
    onProgress(results.length, ids.length);
  }
  return results;
}
