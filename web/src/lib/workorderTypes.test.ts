import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import type { ShopTypeField, WorkorderTypeDef } from './types';
import { activeShopTypes, fieldsForApi, fieldValueText, filterableFields, formFields, isBuiltinType, typeName } from './workorderTypes';

const t = (k: Parameters<typeof translate>[1], v?: Parameters<typeof translate>[2]) => translate('zh', k, v);
const field = (key: string, kind: ShopTypeField['kind'], extra: Partial<ShopTypeField> = {}): ShopTypeField => ({
  key,
  type: 'x-1000',
  label_zh: key,
  label_en: key,
  kind,
  required: false,
  options: [],
  position: 0,
  retired: false,
  ...extra,
});
const def = (key: string, fields: ShopTypeField[], extra: Partial<WorkorderTypeDef> = {}): WorkorderTypeDef => ({
  key,
  builtin: false,
  name_zh: '质检',
  name_en: 'Quality check',
  default_deadline_hours: 6,
  default_handler_id: null,
  color: '#1677ff',
  retired: false,
  fields,
  ...extra,
});

describe('work order types', () => {
  const defs = [
    def('x-1000', [
      field('grade', 'choice', { position: 1, options: ['A'] }),
      field('batch', 'text'),
      field('old', 'text', { retired: true }),
      field('note', 'long_text', { position: 2 }),
    ]),
    def('x-1001', [], { retired: true, name_zh: '旧类型' }),
  ];
  it('names built-in types from the dictionary and a shop type by its name in the language', () => {
    expect(isBuiltinType('shipping')).toBe(true);
    expect(isBuiltinType('x-1000')).toBe(false);
    expect(typeName(t, 'zh', 'shipping', defs)).toBe('发货');
    expect(typeName(t, 'zh', 'x-1000', defs)).toBe('质检');
    expect(typeName(t, 'en', 'x-1000', defs)).toBe('Quality check');
    expect(typeName(t, 'zh', 'x-1999', defs)).toBe('x-1999');
  });
  it('offers only types and fields that are not retired, in order of display', () => {
    expect(activeShopTypes(defs).map((d) => d.key)).toEqual(['x-1000']);
    expect(formFields(defs, 'x-1000').map((f) => f.key)).toEqual(['batch', 'grade', 'note']);
    expect(formFields(defs, 'shipping')).toEqual([]);
    expect(filterableFields(defs).map((f) => f.key)).toEqual(['grade', 'batch', 'old']);
  });
  it('sends values as the API takes them and shows them as people read them', () => {
    const fs = [field('loss', 'money'), field('w', 'number'), field('ok', 'bool'), field('tags', 'multi_choice'), field('empty', 'text')];
    expect(fieldsForApi(fs, { loss: 12.34, w: '2.5', ok: false, tags: [], empty: '' })).toEqual({ loss: 1234, w: 2.5, ok: false });
    expect(fieldValueText(t, fs[0], 1234, [])).toBe('¥12.34');
    expect(fieldValueText(t, fs[2], true, [])).toBe('是');
    expect(fieldValueText(t, fs[3], ['受潮', '破损'], [])).toBe('受潮、破损');
    expect(fieldValueText(t, field('u', 'user'), '7', [{ id: '7', display_name: '小王' } as never])).toBe('小王');
  });
});
