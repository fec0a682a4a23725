// Work order types (docs/types.md): the built-in ones, whose words are in the dictionary, and the
// ones a shop defines (x-1000 …), whose names and custom fields come from GET /workorder_types.
// The list is read once and kept (a change on the types page reloads it).
import { useEffect, useState } from 'react';
import { get } from './api';
import { useApp } from './app';
import { useLatest } from './latest';
import { logFailure } from './logFailure';
import type { Lang, Translate } from './i18n';
import type { BuiltinType, FieldValues, ShopTypeField, User, WorkorderType, WorkorderTypeDef } from './types';

export const BUILTIN_TYPES: readonly BuiltinType[] = [
  'order_review',
  'shipping',
  'waybill',
  'out_of_stock',
  'after_sales',
  'customer_memo',
  'task_memo',
  'collab',
];
/** the built-in types a shop's people create (the platform opens collaborative cases) */
export const CREATABLE_BUILTIN: readonly BuiltinType[] = BUILTIN_TYPES.filter((x) => x !== 'collab');

export function isBuiltinType(key: string): key is BuiltinType {
  return (BUILTIN_TYPES as readonly string[]).includes(key);
}

/** A type's words: a built-in one's from the dictionary, a shop's own name in the reader's language, else the key as
 * sent (a type of another shop, or one not loaded yet). */
export function typeName(t: Translate, lang: Lang, key: WorkorderType, defs: readonly WorkorderTypeDef[]): string {
  if (isBuiltinType(key)) return t(`type.${key}`);
  const d = defs.find((x) => x.key === key);
  return d ? (lang === 'en' ? d.name_en : d.name_zh) : key;
}

/** The shop's own types that take new work orders. */
export function activeShopTypes(defs: readonly WorkorderTypeDef[]): WorkorderTypeDef[] {
  return defs.filter((d) => !d.builtin && !d.retired);
}

/** The fields a new work order of `key` shows, in order of display (retired ones are hidden). */
export function formFields(defs: readonly WorkorderTypeDef[], key: WorkorderType): ShopTypeField[] {
  const d = defs.find((x) => x.key === key);
  return d
    ? d.fields
        .filter((f) => !f.retired)
        .slice()
        .sort((a, b) => a.position - b.position)
    : [];
}

/** Every field of the shop's types (a list filters on any of them but long text). */
export function filterableFields(defs: readonly WorkorderTypeDef[]): ShopTypeField[] {
  return defs.flatMap((d) => d.fields).filter((f) => f.kind !== 'long_text');
}

/** The values a form collected as the API takes them: empty ones left out, money from yuan to whole fen. */
export function fieldsForApi(fields: readonly ShopTypeField[], form: Record<string, unknown>): FieldValues {
  const out: FieldValues = {};
  for (const f of fields) {
    const v = form[f.key];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (f.kind === 'money') out[f.key] = Math.round(Number(v) * 100);
    else if (f.kind === 'number') out[f.key] = Number(v);
    else out[f.key] = v as string | boolean | string[];
  }
  return out;
}

/** A value as a reader sees it: yes/no, money in yuan, options joined, a user by name. */
export function fieldValueText(t: Translate, f: ShopTypeField, v: FieldValues[string], users: readonly User[]): string {
  if (v === null || v === undefined) return '—';
  switch (f.kind) {
    case 'bool':
      return v ? t('types.yes') : t('types.no');
    case 'money':
      return `¥${(Number(v) / 100).toFixed(2)}`;
    case 'multi_choice':
      return Array.isArray(v) ? v.join('、') : String(v);
    case 'user':
      return users.find((u) => u.id === v)?.display_name ?? String(v);
    default:
      return String(v);
  }
}

// one list per signed-in user: another sign-in in the same tab (another shop) reads its own
let cache: { user: string; defs: Promise<WorkorderTypeDef[]> } | null = null;

/** GET /workorder_types once per user. Platform staff read no shop's types (the server says 403):
 * they have none, so nothing is asked. */
export function loadWorkorderTypes(user: Pick<User, 'id' | 'role'> | null, force = false): Promise<WorkorderTypeDef[]> {
  if (!user || user.role.startsWith('platform_')) return Promise.resolve([]);
  if (!cache || cache.user !== user.id || force) {
    const entry = {
      user: user.id,
      defs: get('/workorder_types')
        .then((r) => r.items ?? [])
        .catch((e: unknown) => {
          logFailure("the shop's work order types", e);
          if (cache === entry) cache = null; // asked again next time
          return [];
        }),
    };
    cache = entry;
  }
  return cache.defs;
}

export function useWorkorderTypes(): [WorkorderTypeDef[], () => void] {
  const { user } = useApp();
  const [defs, setDefs] = useState<WorkorderTypeDef[]>([]);
  const [gen, setGen] = useState(0);
  const latest = useLatest();
  useEffect(() => {
    void latest(loadWorkorderTypes(user, gen > 0)).then(setDefs);
  }, [user, gen, latest]);
  return [defs, () => setGen((g) => g + 1)];
}
