// The platform rules editor's checks and version comparison, kept pure for vitest. The checks are the
// server's (src/service/rules.c), made before saving so a mistake is shown on its field, in words,
// instead of coming back as a 422 about a value the form did not show.
import type { Rules } from './types';

/** At most this many reminders (GD_COLLAB_MAX_REMINDERS). */
export const MAX_REMINDERS = 8;
/** The longest reply window the server takes: 400 days. */
export const MAX_WINDOW_HOURS = 400 * 24;

export type RulesFormError = 'window_positive' | 'window_max' | 'reminder_count' | 'reminder_range';

export function reminders(r: Partial<Rules>): number[] {
  const v = r.reminder_offsets_hours;
  return Array.isArray(v) ? v.map(Number) : [];
}

/** What is wrong with the form's fields, by field; empty when it may be saved. */
export function checkRules(r: Partial<Rules>): Partial<Record<'reply_window_hours' | 'reminder_offsets_hours', RulesFormError>> {
  const e: Partial<Record<'reply_window_hours' | 'reminder_offsets_hours', RulesFormError>> = {};
  const w = Number(r.reply_window_hours);
  if (!Number.isFinite(w) || w * 3600 < 1) e.reply_window_hours = 'window_positive';
  else if (w > MAX_WINDOW_HOURS) e.reply_window_hours = 'window_max';
  const rem = reminders(r);
  if (rem.length > MAX_REMINDERS) e.reminder_offsets_hours = 'reminder_count';
  else if (rem.some((h) => !Number.isFinite(h) || h * 3600 < 1 || (!e.reply_window_hours && h >= w))) e.reminder_offsets_hours = 'reminder_range';
  return e;
}

/** The fields two versions differ in (besides version and created_at), each value as compact JSON. */
export function diffRules(from: Partial<Rules>, to: Partial<Rules>): { field: string; from: string; to: string }[] {
  const a: Record<string, unknown> = from;
  const b: Record<string, unknown> = to;
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((k) => k !== 'version' && k !== 'created_at');
  const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));
  return keys.filter((k) => show(a[k]) !== show(b[k])).map((k) => ({ field: k, from: show(a[k]), to: show(b[k]) }));
}
