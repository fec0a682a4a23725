import { describe, expect, it } from 'vitest';
import { dictionaries, initialLang, isKey, keyIn, translate, valueLabel, type MsgKey } from './index';

describe('i18n', () => {
  it('defaults to Simplified Chinese', () => {
    expect(initialLang(null, 'en-US')).toBe('zh');
    expect(initialLang('en')).toBe('en');
    expect(initialLang('fr')).toBe('zh');
  });
  it('has the same keys in both languages, none empty', () => {
    const zh = Object.keys(dictionaries.zh).sort();
    const en = Object.keys(dictionaries.en).sort();
    expect(en).toEqual(zh);
    for (const l of ['zh', 'en'] as const) for (const [k, v] of Object.entries(dictionaries[l])) expect(v, `${l}:${k}`).not.toBe('');
  });
  it('uses the same placeholders in both languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    for (const k of Object.keys(dictionaries.zh) as MsgKey[]) expect(ph(dictionaries.en[k]), k).toBe(ph(dictionaries.zh[k]));
  });
  it('fills placeholders, leaving one without a value as it is', () => {
    expect(translate('zh', 'list.selected', { n: 3 })).toBe('已选 3 条');
    expect(translate('en', 'list.selected', { n: 3 })).toBe('3 selected');
    expect(translate('en', 'list.selected')).toBe('{n} selected');
    expect(translate('zh', 'type.after_sales')).toBe('售后处理');
    expect(translate('zh', 'state.in_progress')).toBe('处理中');
  });
  it('finds the key of a value the server sends, and only a key the dictionary has', () => {
    expect(keyIn('state.', 'in_progress')).toBe('state.in_progress');
    expect(keyIn('state.', 'no_such_state')).toBeNull();
    expect(keyIn('role.', undefined)).toBeNull();
    // not a key even though every object has it
    expect(isKey('toString')).toBe(false);
    const t = (k: MsgKey) => translate('en', k);
    expect(valueLabel(t, 'collab.reason.', 'seller_timeout')).toBe(dictionaries.en['collab.reason.seller_timeout']);
    expect(valueLabel(t, 'collab.reason.', 'a_newer_reason')).toBe('a_newer_reason');
  });
});
