// Time targets (docs/targets.md): the settings form's rows to the PUT /targets body, and what the
// form checks before the server does (src/service/targets.c checks again and names the field).
import type { TargetPolicy, TargetSettings, WorkorderTypeDef } from './types';
import { activeShopTypes, CREATABLE_BUILTIN } from './workorderTypes';

/** A type a shop may set targets for: a built-in one but the collaborative (whose cases keep the platform's deadlines),
 * or one of the shop's own (x-1000 …). */
export type TargetType = TargetPolicy['type'];

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

/** The types a policy may still be added for, each once, in the order GET /workorder_types lists them: the built-in
 * ones, then the shop's own active types (a retired one keeps the row it has but gets no new one). */
export function typesLeft(rows: TargetRow[], defs: readonly WorkorderTypeDef[]): TargetType[] {
  const all: TargetType[] = [...CREATABLE_BUILTIN, ...activeShopTypes(defs).map((d) => d.key)];
  return all.filter((t) => !rows.some((r) => r.type === t));
}
