import { describe, expect, it } from 'vitest';
import { memberNames, ruleName, ruleProblem, ruleTypes, statusColor, typeName } from './assignment';
import type { WorkOrderType } from './types';

describe('assignment rules', () => {
  it('checks a rule as the server does', () => {
    expect(ruleProblem(undefined, ['1'])).toBe('assign.kindRequired');
    expect(ruleProblem('round_robin', [])).toBe('assign.membersRequired');
    expect(ruleProblem('fixed', ['1', '2'])).toBe('assign.fixedOne');
    expect(
      ruleProblem(
        'least_open',
        Array.from({ length: 51 }, (_, i) => String(i)),
      ),
    ).toBe('assign.membersMax');
    expect(ruleProblem('fixed', ['1'])).toBeNull();
    expect(ruleProblem('round_robin', ['1', '2'])).toBeNull();
  });
  it('names a rule by its type and kind, in both languages', () => {
    expect(ruleName('zh', 'after_sales', 'round_robin')).toBe('售后处理 · 轮流分派');
    expect(ruleName('en', 'after_sales', 'least_open')).toBe('After-sales · fewest open work orders');
    expect(ruleName('zh', 'shop_custom', 'fixed')).toBe('shop_custom · 固定处理人');
  });
  it('names the members, a departed one as such', () => {
    const people = [{ user_id: '1', display_name: '张伟' }];
    expect(memberNames('zh', ['1', '9'], people)).toEqual(['张伟', '已停用的成员']);
  });
  it('colours a status by whether the person gets work now', () => {
    expect(statusColor({ status: 'online', available: true })).toBe('success');
    expect(statusColor({ status: 'online', available: false })).toBe('processing');
    expect(statusColor({ status: 'busy', available: false })).toBe('warning');
    expect(statusColor({ status: 'offline', available: false })).toBe('default');
  });
  it("offers the shop's types, built-in first, without the platform's one or a retired one with no rule", () => {
    const ty = (key: string, builtin: boolean, retired = false) =>
      ({
        key,
        builtin,
        retired,
        name_zh: `类型${key}`,
        name_en: `Type ${key}`,
        default_deadline_hours: 0,
        default_handler_id: null,
        color: null,
        fields: [],
      }) as WorkOrderType;
    const types = [ty('shipping', true), ty('collab', true), ty('x-1000', false), ty('x-1001', false, true), ty('x-1002', false, true)];
    const rule = { type: 'x-1002', kind: 'fixed' as const, members: ['1'], reassign: false, updated_at: null };
    expect(ruleTypes(types, [rule]).map((x) => x.key)).toEqual(['shipping', 'x-1000', 'x-1002']);
    expect(typeName('zh', types[0])).toBe('发货');
    expect(typeName('zh', types[2])).toBe('类型x-1000');
    expect(typeName('en', types[2])).toBe('Type x-1000');
  });
});
