import { describe, expect, it } from 'vitest';
import { canAdd, fillPlaceholders, insertAt, QUICKREPLIES_PERSON_MAX, type QuickReply } from './quickreplies';

describe('quick replies', () => {
  it('fills the placeholders from the work order', () => {
    const wo = { buyer_nick: '快乐的鱼', order_no: 'TB-1001', deadline: '2026-03-02T18:30:00+08:00' };
    const out = fillPlaceholders('{买家} 您好，订单 {订单号} 将于 {截止时间} 前处理，{买家} 请放心', wo);
    expect(out).toMatch(/^快乐的鱼 您好，订单 TB-1001 将于 2026-03-0\d \d\d:30 前处理，快乐的鱼 请放心$/);
  });
  it('leaves a placeholder the work order has no value for, and other braces alone', () => {
    expect(fillPlaceholders('{买家}：订单 {订单号} {其他}', { buyer_nick: '小林', order_no: null })).toBe('小林：订单 {订单号} {其他}');
    expect(fillPlaceholders('截止 {截止时间}', null)).toBe('截止 {截止时间}');
  });
  it('inserts at the cursor or over the selection', () => {
    expect(insertAt('您好。', '稍等', 2, 2)).toEqual({ text: '您好稍等。', cursor: 4 });
    expect(insertAt('abcdef', 'X', 1, 4)).toEqual({ text: 'aXef', cursor: 2 });
    expect(insertAt('ab', 'X', 99, 99)).toEqual({ text: 'abX', cursor: 3 });
  });
  it('counts the limit per scope', () => {
    const q = (shared: boolean, i: number): QuickReply => ({ id: String(i), title: 't', body: 'b', shared, can_manage: true, created_at: '', updated_at: '' });
    const own = Array.from({ length: QUICKREPLIES_PERSON_MAX }, (_, i) => q(false, i));
    expect(canAdd(own, false)).toBe(false);
    expect(canAdd(own, true)).toBe(true);
    expect(canAdd(own.slice(1), false)).toBe(true);
  });
});
