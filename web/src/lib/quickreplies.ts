// Quick replies (快捷短语, docs/quickreplies.md): the server's limits, the API calls, and the
// placeholders a reply may hold, filled from the work order it is inserted into
// (src/service/quickreplies.c checks the limits again and names the field).
import { del, get, patch, post } from './api';
import { formatTime } from './format';
import type { QuickReply } from './types';

export const QUICKREPLY_TITLE_MAX = 30;
export const QUICKREPLY_BODY_MAX = 500;
/** shop-wide replies per shop */
export const QUICKREPLIES_SHOP_MAX = 200;
/** a person's own replies */
export const QUICKREPLIES_PERSON_MAX = 50;

export type { QuickReply };

/** The placeholders, as written in a reply, and where each one's value comes from. */
export const PLACEHOLDERS = ['{买家}', '{订单号}', '{截止时间}'] as const;

/** What a placeholder is filled from: the work order the reply goes into. */
export interface PlaceholderSource {
  buyer_nick?: string | null;
  order_no?: string | null;
  deadline?: string | null;
}

/** The reply's text with its placeholders filled from `wo`; one whose value the work order lacks stays as written, so
 * the user sees what is still to fill in. */
export function fillPlaceholders(body: string, wo: PlaceholderSource | null | undefined): string {
  const values: Record<(typeof PLACEHOLDERS)[number], string | null | undefined> = {
    '{买家}': wo?.buyer_nick,
    '{订单号}': wo?.order_no,
    '{截止时间}': wo?.deadline ? formatTime(wo.deadline) : null,
  };
  return body.replace(/\{(买家|订单号|截止时间)\}/g, (m) => values[m as keyof typeof values] || m);
}

/** `text` with `insert` put at the selection [start, end) of a text box (the cursor when they are equal), and where the
 * cursor goes after it. A separating space is not added: replies are Chinese text. */
export function insertAt(text: string, insert: string, start: number, end: number): { text: string; cursor: number } {
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  return { text: text.slice(0, a) + insert + text.slice(b), cursor: a + insert.length };
}

/** The counts a form checks before the server does: may another be added in this scope? */
export function canAdd(items: QuickReply[], shared: boolean): boolean {
  const n = items.filter((q) => q.shared === shared).length;
  return n < (shared ? QUICKREPLIES_SHOP_MAX : QUICKREPLIES_PERSON_MAX);
}

export const listQuickReplies = () => get('/quickreplies').then((r) => r.items ?? []);
export const createQuickReply = (body: { title: string; body: string; shared: boolean }) => post('/quickreplies', { body });
export const updateQuickReply = (id: string, body: { title?: string; body?: string }) => patch('/quickreplies/{id}', { params: { id }, body });
export const deleteQuickReply = (id: string) => del('/quickreplies/{id}', { params: { id } });
