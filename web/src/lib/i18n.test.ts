import { describe, expect, it } from 'vitest';
import { dictionaries, initialLang, translate } from './i18n';

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
    for (const k of Object.keys(dictionaries.zh) as (keyof typeof dictionaries.zh)[]) expect(ph(dictionaries.en[k]), k).toBe(ph(dictionaries.zh[k]));
  });
  it('fills placeholders and falls back to the key', () => {
    expect(translate('zh', 'list.selected', { n: 3 })).toBe('已选 3 条');
    expect(translate('en', 'list.selected', { n: 3 })).toBe('3 selected');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
    expect(translate('zh', 'type.after_sales')).toBe('售后处理');
    expect(translate('zh', 'state.in_progress')).toBe('处理中');
  });
});
