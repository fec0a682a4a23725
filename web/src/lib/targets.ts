// Time targets (docs/targets.md): the settings form's rows to the PUT /targets body, and what the
// form checks before the server does (src/service/targets.c checks again and names the field).
import type { TargetPolicy, TargetSettings } from './types';

/** The types a shop may set targets for: its built-in ones (collaborative cases keep the platform's deadlines). */
export type TargetType = TargetPolicy['type'];
export const TARGET_TYPES: TargetType[] = ['order_review', 'shipping', 'waybill', 'out_of_stock', 'after_sales', 'customer_memo', 'task_memo'];

/** The most working minutes a target may be (60 days of 24 hours, GD_TARGET_MAX_MIN). */
export const TARGET_MAX_MINUTES = 86400;

/** A time of day as the API takes it: HH:MM, 24:00 for the end of the day. */
export function isHhmm(s: string): boolean {
  return /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(s) || s === '24:00';
}

export interface TargetRow {
  type: TargetType;
  fr: number | null;
  res: number | null;
  remind: number | null;
  escalate: boolean;
}

export function rowsOf(s: TargetSettings): TargetRow[] {
  return s.types.map((p) => ({
    type: p.type,
    fr: p.first_response_minutes || null,
    res: p.resolution_minutes || null,
    remind: p.remind_before_minutes || null,
    escalate: !!p.escalate_to_queue,
  }));
}

/** The PUT body: empty numbers are no target (0), each row once. */
export function settingsBody(start: string, end: string, rows: TargetRow[]): TargetSettings {
  const types: TargetPolicy[] = rows.map((r) => ({
    type: r.type,
    first_response_minutes: r.fr ?? 0,
    resolution_minutes: r.res ?? 0,
    remind_before_minutes: r.remind ?? 0,
    escalate_to_queue: r.escalate,
  }));
  return { hours: { start, end }, types };
}

/** The types a policy may still be added for: each once. */
export function typesLeft(rows: TargetRow[]): TargetType[] {
  return TARGET_TYPES.filter((t) => !rows.some((r) => r.type === t));
}
