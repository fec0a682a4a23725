// The seller's reply form: which fields each reply option requires comes from the rules API.
import type { ReplyOption, Rules } from './types';

export type ReplyField = 'description' | 'evidence' | 'contact_at';

/** Used when the rules API does not list options (matches DOMAIN.md). */
export const DEFAULT_REPLY_OPTIONS: ReplyOption[] = [
  { code: 'agreed', label_zh: '已与消费者协商一致', label_en: 'Agreed with the buyer', requires: ['contact_at'] },
  { code: 'unreachable', label_zh: '未联系上消费者', label_en: 'Could not reach the buyer', requires: ['evidence', 'contact_at'] },
  { code: 'not_agreed', label_zh: '未达成一致', label_en: 'No agreement', requires: ['description'] },
  { code: 'other', label_zh: '其他', label_en: 'Other', requires: ['description'] },
];

export function replyOptions(rules: Partial<Rules> | null | undefined): ReplyOption[] {
  const o = rules?.reply_options;
  return Array.isArray(o) && o.length ? o : DEFAULT_REPLY_OPTIONS;
}

export function requiredFields(rules: Partial<Rules> | null | undefined, option: string | undefined): Set<ReplyField> {
  const o = replyOptions(rules).find((x) => x.code === option);
  return new Set((o?.requires ?? []).filter((r): r is ReplyField => r === 'description' || r === 'evidence' || r === 'contact_at'));
}

export interface ReplyValues {
  option?: string;
  description?: string;
  contact_at?: string | null; // RFC 3339
  attachment_ids?: string[];
}

export type ReplyErrors = Partial<Record<'option' | ReplyField, 'required' | 'before_created' | 'in_future'>>;

/**
 * Validate a reply before it is sent. The server re-checks everything; this only saves a round trip.
 * contact_at must be after the work order was created (T0) and not in the future.
 */
export function validateReply(v: ReplyValues, rules: Partial<Rules> | null | undefined, createdAt: string | null, now: number): ReplyErrors {
  const e: ReplyErrors = {};
  if (!v.option) {
    e.option = 'required';
    return e;
  }
  const req = requiredFields(rules, v.option);
  if (req.has('description') && !(v.description ?? '').trim()) e.description = 'required';
  if (req.has('evidence') && !(v.attachment_ids ?? []).length) e.evidence = 'required';
  if (req.has('contact_at') && !v.contact_at) e.contact_at = 'required';
  if (v.contact_at) {
    const c = Date.parse(v.contact_at);
    if (createdAt && c < Date.parse(createdAt)) e.contact_at = 'before_created';
    else if (c > now + 60_000) e.contact_at = 'in_future';
  }
  return e;
}

export interface OutcomeChoice {
  outcome: string;
  remedies: string[];
}

/** rules.outcomes may be {support_buyer: [...], support_seller: [...]} or a list; normalise it. */
export function outcomeChoices(rules: Partial<Rules> | null | undefined): OutcomeChoice[] {
  const o = rules?.outcomes as unknown;
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    return Object.entries(o as Record<string, unknown>).map(([k, v]) => ({
      outcome: k,
      remedies: Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String((x as { code?: string }).code ?? x))) : [],
    }));
  }
  if (Array.isArray(o)) {
    return o.map((x) =>
      typeof x === 'string' ? { outcome: x, remedies: [] } : { outcome: String(x.code ?? x.outcome), remedies: Array.isArray(x.remedies) ? x.remedies : [] },
    );
  }
  return [
    { outcome: 'support_buyer', remedies: ['refund', 'return_refund', 'reship', 'exchange', 'repair'] },
    { outcome: 'support_seller', remedies: ['payout', 'reject_claim'] },
  ];
}

export const ALLOWED_EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'video/mp4'];
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
export const MAX_EVIDENCE_FILES = 9;

export type FileProblem = { name: string; problem: 'too_big' | 'bad_type' | 'too_many' };

/** Which of the dropped files may be uploaded, given how many are already there. */
export function checkFiles(files: { name: string; size: number; type: string }[], already: number): { ok: number[]; problems: FileProblem[] } {
  const ok: number[] = [];
  const problems: FileProblem[] = [];
  files.forEach((f, i) => {
    if (!ALLOWED_EVIDENCE_TYPES.includes(f.type)) problems.push({ name: f.name, problem: 'bad_type' });
    else if (f.size > MAX_EVIDENCE_BYTES) problems.push({ name: f.name, problem: 'too_big' });
    else if (already + ok.length >= MAX_EVIDENCE_FILES) problems.push({ name: f.name, problem: 'too_many' });
    else ok.push(i);
  });
  return { ok, problems };
}
