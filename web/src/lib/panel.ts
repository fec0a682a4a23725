// The chat-side panel's decisions that need no browser (docs/panel.md): what the address asks
// for, which of the buyer's work orders are still open (ordinary ones and cases apart, the most
// urgent first), and the title a work order made from the panel gets from its content.
import type { BuyerHistory, WorkOrder } from './types';

export interface PanelTarget {
  orderNo: string | null;
  buyer: string | null;
  /** set by the server when a signed link was refused: expired, signature, used, invalid */
  linkError: LinkError | null;
}

/** Why the server refused a signed link (src/http/routes_panel.c). */
export const LINK_ERRORS = ['expired', 'signature', 'used', 'invalid'] as const;
export type LinkError = (typeof LINK_ERRORS)[number];

/** A refusal this workbench does not know still refuses: it reads as an incomplete link. */
function linkError(v: string | null): LinkError | null {
  if (v === null) return null;
  return (LINK_ERRORS as readonly string[]).includes(v) ? (v as LinkError) : 'invalid';
}

export function panelTarget(search: string): PanelTarget {
  const q = new URLSearchParams(search);
  const v = (k: string) => (q.get(k) ?? '').trim() || null;
  return { orderNo: v('order_no'), buyer: v('buyer'), linkError: linkError(v('link_error')) };
}

/** States in which a work order or a case needs nothing more. */
const FINISHED = new Set(['done', 'cancelled', 'resolved', 'final']);

export function isOpen(w: WorkOrder): boolean {
  return !FINISHED.has(w.state);
}

const due = (w: WorkOrder) => (w.deadline ? Date.parse(w.deadline) : Number.POSITIVE_INFINITY);

/** The buyer's open work orders and open collaborative cases, each by deadline (none last). */
export function openOf(h: BuyerHistory): { workorders: WorkOrder[]; cases: WorkOrder[] } {
  const open = h.workorders.filter(isOpen).sort((a, b) => due(a) - due(b));
  return { workorders: open.filter((w) => w.type !== 'collab'), cases: open.filter((w) => w.type === 'collab') };
}

export const TITLE_CHARS = 30;

/** A title from the content: its first non-empty line, cut at TITLE_CHARS characters. */
export function titleFromContent(content: string): string {
  const line =
    content
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l) ?? '';
  const chars = Array.from(line);
  return chars.length > TITLE_CHARS ? `${chars.slice(0, TITLE_CHARS).join('')}…` : line;
}

/** The order to create on: the one asked for when it is the buyer's, else their newest. */
export function initialOrder(h: BuyerHistory, asked: string | null): string | null {
  if (asked && h.orders.some((o) => o.order_no === asked)) return asked;
  return h.orders[0]?.order_no ?? null;
}
