// The workbench's words: 简体中文 (zh.ts) is the default, English (en.ts) the switch. Only keys
// the Chinese dictionary has compile; a key built from a value goes through a typed helper
// (a template-literal key over a known union) or keyIn() for a value the server sends.
import { en } from './en';
import { zh, type MsgKey } from './zh';

export type { MsgKey };
export type Lang = 'zh' | 'en';

export const dictionaries: Record<Lang, Record<MsgKey, string>> = { zh, en };

export type Vars = Record<string, string | number | null | undefined>;

/** translate() bound to the reader's language, as useApp() hands it to a page. */
export type Translate = (key: MsgKey, vars?: Vars) => string;

/** Translate a key, replacing {name} placeholders (one left as it is when its value is missing). */
export function translate(lang: Lang, key: MsgKey, vars?: Vars): string {
  const s = dictionaries[lang][key];
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = vars[name];
    return v === undefined || v === null ? m : String(v);
  });
}

/** The keys of one family, e.g. KeyIn<'role.'> is every 'role.…' key. */
export type KeyIn<P extends string> = Extract<MsgKey, `${P}${string}`>;

/** Does the dictionary know this key? */
export function isKey(key: string): key is MsgKey {
  return Object.hasOwn(zh, key);
}

/** The key for a value the server sends (a role, an audit action…) in one family, or null when
 *  the dictionary does not know it, so the caller decides what an unknown value shows. */
export function keyIn<P extends string>(prefix: P, value: unknown): KeyIn<P> | null {
  const key = `${prefix}${String(value)}`;
  return isKey(key) ? (key as KeyIn<P>) : null;
}

/** The words for a value the server sends in one family (`collab.reason.`): the value as sent when
 *  the dictionary does not know it (a newer server), never a key. */
export function valueLabel(t: Translate, prefix: string, value: unknown): string {
  const key = keyIn(prefix, value);
  return key ? t(key) : String(value ?? '');
}

export function initialLang(stored: string | null, navigatorLang?: string): Lang {
  if (stored === 'zh' || stored === 'en') return stored;
  void navigatorLang; // 简体中文 is the default whatever the browser says
  return 'zh';
}
