import { describe, expect, it } from 'vitest';
import { memberNames, ruleName, ruleProblem, statusColor } from './assignment';

describe('assignment rules', () => {
  it('checks a rule as the server does', () => {
    expect(ruleProblem(undefined, ['1'])).toBe('assign.kindRequired');
    expect(ruleProblem('round_robin', [])).toBe('assign.membersRequired');
    expect(ruleProblem('fixed', ['1', '2'])).toBe('assign.fixedOne');
    expect(ruleProblem('least_open', Array.from({ length: 51 }, (_, i) => String(i)))).toBe('assign.membersMax');
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
});
