import { describe, expect, it } from 'vitest';
import { describeEvent } from './events';
import { formatTime } from './format';

const ev = (kind: string, data: Record<string, unknown>) => ({ id: '1', kind, actor: null, at: '2026-11-26T10:00:00+08:00', data });

describe('describeEvent', () => {
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
});
