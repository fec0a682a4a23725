// Outgoing webhooks (pages/Webhooks.tsx): the server's limits and what the form checks before the server does
// (src/service/webhooks.c checks again and names the field).

import type { EventKind } from './types';

export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_DESC_MAX = 200;
/** The kinds of timeline event an endpoint may take (src/core/workorder.c gd_event_kinds). */
export const EVENT_KINDS = [
  'created',
  'assigned',
  'transferred',
  'noted',
  'attached',
  'chased',
  'state_changed',
  'edited',
  'deadline_changed',
  'overdue',
  'reminded',
  'replied',
  'evidence_added',
  'verified',
  'judged',
  'appealed',
  'appeal_decided',
  'seller_timeout',
  'finalized',
  'target_reminded',
  'target_missed',
  'assignment_failed',
] as const satisfies readonly EventKind[];

/** endpoints per shop */
export const WEBHOOKS_MAX = 10;

/** What is wrong with a URL typed into the form, or null. */
export function urlProblem(raw: string | undefined | null): 'required' | 'scheme' | 'long' | null {
  const url = (raw ?? '').trim();
  if (!url) return 'required';
  if (!/^https?:\/\//.test(url)) return 'scheme';
  if (url.length > WEBHOOK_URL_MAX) return 'long';
  return null;
}

/** 正常 (no failures) or 重试中 (failing, with a next attempt). */
export function webhookStatus(h: { failures: number }): 'ok' | 'retrying' {
  return h.failures > 0 ? 'retrying' : 'ok';
}
