import { describe, expect, it } from 'vitest';
import { defaultSort, filtersFromSearch, listQuery, searchFromFilters } from './listParams';
import { qs } from './query';
import { describeEvent } from './events';
import type { WoEvent } from './types';

describe('list filters in the URL', () => {
  it("keeps the platform's shop filter and shop sort", () => {
    const f = filtersFromSearch(new URLSearchParams('shop_id=42&sort=-shop'));
    expect(f).toEqual({ shop_id: '42', sort: '-shop' });
    expect(listQuery('intervention', f, 50)).toEqual({ view: 'intervention', limit: 50, shop_id: '42', sort: '-shop' });
  });
  it('round-trips and drops empty or unknown values', () => {
    const sp = new URLSearchParams('type=shipping&q=%E9%80%80%E6%AC%BE&state=&junk=1&sort=-created');
    const f = filtersFromSearch(sp);
    expect(f).toEqual({ type: 'shipping', q: '退款', sort: '-created' });
    expect(searchFromFilters(f).toString()).toBe('type=shipping&q=%E9%80%80%E6%AC%BE&sort=-created');
  });
  it('ignores an unknown sort', () => {
    expect(filtersFromSearch(new URLSearchParams('sort=evil'))).toEqual({});
  });
  it('builds the API query with view, limit and cursor', () => {
    expect(listQuery('shop', { handler: '7' }, 50, 'abc')).toEqual({ view: 'shop', limit: 50, handler: '7', sort: '-created', cursor: 'abc' });
    expect(listQuery('todo', {}, 20, null)).toEqual({ view: 'todo', limit: 20, sort: 'deadline' });
  });
  it("always sends the sort the control shows: the view's default or the chosen one", () => {
    expect(listQuery('created', {}, 50).sort).toBe('-created');
    expect(listQuery('created', { sort: 'deadline' }, 50).sort).toBe('deadline');
    expect(defaultSort('todo')).toBe('deadline');
    expect(defaultSort('overdue')).toBe('deadline');
    expect(defaultSort('intervention')).toBe('deadline');
    expect(defaultSort('shop')).toBe('-created');
    expect(defaultSort('assigned')).toBe('-created');
  });
});

describe('timeline wording', () => {
  const ev = (kind: string, data: Record<string, unknown>): WoEvent => ({
    id: '1',
    kind: kind as WoEvent['kind'],
    actor: null,
    at: '2026-11-26T08:00:00Z',
    data,
  });
  it('describes transfers and state changes', () => {
    expect(describeEvent(ev('transferred', { from: { id: '1', display_name: '小张' }, to: { id: '2', display_name: '阿强' }, reason: '仓库处理' }), 'zh')).toBe(
      '从 小张 转交给 阿强，原因：仓库处理',
    );
    expect(describeEvent(ev('transferred', { from: '11', from_name: '小张', to: '12', to_name: '阿强', reason: '换人' }), 'en')).toBe(
      'transferred from 小张 to 阿强, reason: 换人',
    );
    expect(describeEvent(ev('assigned', { to: '12', to_name: '阿强' }), 'zh')).toBe('指派给 阿强');
    expect(describeEvent(ev('state_changed', { from: 'open', to: 'in_progress' }), 'zh')).toBe('状态 待处理 → 处理中');
    expect(describeEvent(ev('state_changed', { from: 'open', to: 'done' }), 'en')).toBe('state Open → Done');
    expect(describeEvent(ev('noted', { text: '已电话联系' }), 'zh')).toBe('备注：已电话联系');
    expect(describeEvent(ev('chased', {}), 'zh')).toBe('催办');
  });
  it('never shows an unknown kind or code raw (a Chinese user would read English)', () => {
    expect(describeEvent(ev('escalated', { text: 'x' }), 'zh')).toBe('工单有更新：x');
    expect(describeEvent(ev('escalated', { reason: 'some_code' }), 'zh')).toBe('工单有更新');
  });
});

describe('custom field filter', () => {
  it('goes to the API as field[<key>]=<value>, only with both parts', () => {
    // the contract's deepObject parameter `field`, sent as the server reads it
    expect(qs(listQuery('shop', { field_key: 'grade', field_value: 'A' }, 50))).toBe('?view=shop&limit=50&field%5Bgrade%5D=A&sort=-created');
    expect(qs(listQuery('shop', { field_key: 'grade' }, 50))).toBe('?view=shop&limit=50&sort=-created');
    expect(filtersFromSearch(new URLSearchParams('field_key=grade&field_value=A'))).toEqual({ field_key: 'grade', field_value: 'A' });
  });
});
