import { describe, expect, it } from 'vitest';
import { describeEvent } from './events';
import { formatTime } from './format';
import type { WoEvent } from './types';

// kinds are strings here: the timeline must also word a kind added to the server after this workbench
const ev = (kind: string, data: Record<string, unknown>): WoEvent => ({ id: '1', kind: kind as WoEvent['kind'], actor: null, at: '2026-11-26T10:00:00+08:00', data });

describe('describeEvent', () => {
  it('names the files an event brought', () => {
    const files = [{ id: '1', filename: '破损外箱.png', mime: 'image/png' }, { id: '2', filename: '签收单.pdf', mime: 'application/pdf' }];
    expect(describeEvent(ev('attached', { attachments: files }), 'zh')).toBe('添加了附件：破损外箱.png、签收单.pdf');
    expect(describeEvent(ev('noted', { text: '见照片', attachments: files.slice(0, 1) }), 'zh')).toBe('备注：见照片（附件：破损外箱.png）');
    expect(describeEvent(ev('created', { attachments: files }), 'en')).toBe('created the work order (files: 破损外箱.png、签收单.pdf)');
    expect(describeEvent(ev('noted', { text: '无附件' }), 'zh')).toBe('备注：无附件');
  });

  it('says where a deadline moved, alone or with other fields', () => {
    const from = '2026-11-27T18:00:00+08:00';
    const to = '2026-11-30T09:30:00+08:00';
    expect(describeEvent(ev('deadline_changed', { from, to }), 'zh')).toBe(`截止时间 ${formatTime(from)} → ${formatTime(to)}`);
    expect(describeEvent(ev('deadline_changed', { from: null, to }), 'en')).toBe(`deadline — → ${formatTime(to)}`);
    expect(describeEvent(ev('edited', { priority_from: 'normal', priority_to: 'high', deadline_from: from, deadline_to: null }), 'zh')).toBe(
      `编辑了工单：普通 → 高；截止时间 ${formatTime(from)} → —`,
    );
    expect(describeEvent(ev('edited', { title_from: '旧', title_to: '新' }), 'zh')).toBe('编辑了工单：「旧」→「新」');
  });

  it('names the assignment rule that placed a work order, or why it placed nobody', () => {
    expect(describeEvent(ev('assigned', { to: '7', to_name: '张伟', rule: 'after_sales', rule_kind: 'round_robin' }), 'zh')).toBe(
      '按分派规则「售后处理 · 轮流分派」指派给 张伟',
    );
    expect(describeEvent(ev('assigned', { to: '7', to_name: 'Zhang Wei', rule: 'shipping', rule_kind: 'fixed' }), 'en')).toBe(
      'assigned to Zhang Wei by the rule “Shipping · fixed handler”',
    );
    expect(describeEvent(ev('assigned', { to: '7', to_name: '张伟' }), 'zh')).toBe('指派给 张伟');
    expect(describeEvent(ev('assignment_failed', { rule: 'after_sales', rule_kind: 'least_open', reason: 'none_available' }), 'zh')).toBe(
      '分派规则「售后处理 · 最少未完成」未能分派：规则中的成员此刻都不接单（忙碌、离线或工作台未打开）',
    );
    expect(describeEvent(ev('assignment_failed', { rule: 'waybill', rule_kind: 'fixed', reason: 'group_empty' }), 'zh')).toBe(
      '分派规则「打单 · 固定处理人」未能分派：规则中的成员都已停用',
    );
  });

  it('says which way each collaborative step went, without codes', () => {
    expect(describeEvent(ev('seller_timeout', { reason: 'seller_timeout', evidence: 'waived', from: 'awaiting_seller', to: 'intervention' }), 'zh')).toBe(
      '商家超时未回复，视为放弃举证，转平台介入',
    );
    expect(describeEvent(ev('judged', { outcome: 'support_buyer', remedy: 'refund', liable_party: 'seller', from: 'intervention', to: 'judged' }), 'zh')).toBe(
      '作出判责：支持消费者 · 仅退款，责任方 商家',
    );
    expect(describeEvent(ev('appeal_decided', { decision: 'overturned', from: 'appeal_review', to: 'final' }), 'zh')).toBe('完成申诉审核：改判（申诉成立，原判责撤销）');
    expect(describeEvent(ev('appeal_decided', { decision: 'upheld', remark: '证据不足' }), 'zh')).toBe('完成申诉审核：维持原判（申诉不成立），证据不足');
    expect(describeEvent(ev('replied', { option: 'not_agreed', description: '消费者坚持退款', evidence: 1 }), 'zh')).toBe('回复了协同工单：未达成一致，消费者坚持退款');
    expect(describeEvent(ev('verified', { result: 'rejected' }), 'zh')).toBe('完成平台核实：核实不通过');
    expect(describeEvent(ev('finalized', { reason: 'appeal_window_passed', to: 'final' }), 'zh')).toBe('申诉期已过，判责生效，已结案');
    expect(describeEvent(ev('evidence_added', { evidence: 2, party: 'seller' }), 'zh')).toBe('补充了凭证（2 个）');
  });
  it('says which time target is near or missed, and when the work order went to the lead', () => {
    const due = '2025-10-09T12:10:00.000+08:00';
    expect(describeEvent(ev('target_reminded', { target: 'resolution', rule: 'after_sales', minutes: '120', due_at: due }), 'zh')).toBe(`解决时效即将到期（${formatTime(due)}）`);
    expect(describeEvent(ev('target_missed', { target: 'first_response', due_at: due }), 'en')).toBe(`First response missed (${formatTime(due)}), escalated to the lead`);
    expect(describeEvent(ev('target_missed', { target: 'resolution', due_at: due, moved_to: 'lead_queue' }), 'zh')).toBe(
      `解决时效已超时（${formatTime(due)}），已升级给主管，工单已移入主管队列`,
    );
    // a target this workbench does not know is not shown as a code
    expect(describeEvent(ev('target_reminded', { target: 'other', due_at: due }), 'zh')).toBe(`—即将到期（${formatTime(due)}）`);
  });
});
