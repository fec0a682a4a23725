// Assignment rules and availability (docs/assignment.md): the API calls, and the words and checks
// the rules page, the status switch and the timeline share (src/service/assignment.c checks the
// rules again and names the field).
import { del, get, put } from './api';
import { keyIn, translate, type KeyIn, type Lang } from './i18n';
import type { AssignRule, Availability, WorkOrderType } from './types';

export type { AssignRule, Availability };

export type AssignKind = AssignRule['kind'];
export type AgentState = Availability['status'];
export const ASSIGN_KINDS = ['round_robin', 'least_open', 'fixed'] as const satisfies readonly AssignKind[];
export const AGENT_STATES = ['online', 'busy', 'offline'] as const satisfies readonly AgentState[];
/** The types a shop may give a rule, in the order GET /workorder_types lists them (built-in first, then the shop's own):
 * every one but the platform's collaborative type and retired ones, except a retired one that still has a rule (so it can be
 * removed). */
export function ruleTypes(types: WorkOrderType[], rules: AssignRule[]): WorkOrderType[] {
  return types.filter((x) => x.key !== 'collab' && (!x.retired || rules.some((r) => r.type === x.key)));
}

/** A type's name in the reader's language: the dictionary's for a built-in one, the shop's own names for theirs. */
export function typeName(lang: Lang, x: Pick<WorkOrderType, 'key' | 'builtin' | 'name_zh' | 'name_en'>): string {
  const k = x.builtin ? keyIn('type.', x.key) : null;
  return k ? translate(lang, k) : lang === 'zh' ? x.name_zh : x.name_en;
}
export const MEMBERS_MAX = 50;

export const loadRules = () => get('/assignment/rules').then((r) => r.items);
export const saveRule = (type: string, rule: { kind: AssignKind; members: string[]; reassign: boolean }) =>
  put('/assignment/rules/{type}', { params: { type }, body: rule });
export const deleteRule = (type: string) => del('/assignment/rules/{type}', { params: { type } });
export const loadTypes = () => get('/workorder_types').then((r) => r.items);
export const loadTeam = () => get('/agents/status').then((r) => r.items);
export const loadMyStatus = () => get('/me/status');
export const saveMyStatus = (status: AgentState, workbenchOnly?: boolean) =>
  put('/me/status', { body: workbenchOnly === undefined ? { status } : { status, workbench_only: workbenchOnly } });

/** What is wrong with a rule before it is sent (an i18n key), or null: 1 to 50 members, a fixed rule exactly one. */
export function ruleProblem(kind: AssignKind | undefined, members: string[]): KeyIn<'assign.'> | null {
  if (!kind) return 'assign.kindRequired';
  if (members.length === 0) return 'assign.membersRequired';
  if (members.length > MEMBERS_MAX) return 'assign.membersMax';
  if (kind === 'fixed' && members.length !== 1) return 'assign.fixedOne';
  return null;
}

/** A rule's name as people read it: 「售后处理 · 轮流分派」. An unknown type or kind shows its key. */
export function ruleName(lang: Lang, type: unknown, kind: unknown): string {
  const word = (prefix: 'type.' | 'assign.kind.', v: unknown) => {
    const k = keyIn(prefix, v);
    return k ? translate(lang, k) : String(v ?? '');
  };
  return kind ? `${word('type.', type)} · ${word('assign.kind.', kind)}` : word('type.', type);
}

/** The names of a rule's members, in its order; one no longer among `people` (deactivated) shows as such. */
export function memberNames(lang: Lang, members: string[], people: { user_id: string; display_name: string }[]): string[] {
  return members.map((id) => people.find((p) => p.user_id === id)?.display_name ?? translate(lang, 'assign.gone'));
}

/** The badge colour of a status: who gets work now is green. */
export function statusColor(a: Pick<Availability, 'status' | 'available'>): 'success' | 'warning' | 'default' | 'processing' {
  if (a.available) return 'success';
  if (a.status === 'busy') return 'warning';
  if (a.status === 'online') return 'processing'; // online only with a workbench open, none is
  return 'default';
}
