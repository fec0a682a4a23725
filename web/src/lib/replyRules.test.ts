import { describe, expect, it } from 'vitest';
import { checkFiles, DEFAULT_REPLY_OPTIONS, outcomeChoices, requiredFields, validateReply } from './replyRules';
import type { Rules } from './types';

const rules: Partial<Rules> = {
  version: 2,
  reply_window_hours: 24,
  reply_options: [
    { code: 'agreed', label_zh: '已协商一致', label_en: 'Agreed', requires: [] },
    { code: 'unreachable', label_zh: '未联系上', label_en: 'Unreachable', requires: ['evidence', 'contact_at'] },
    { code: 'other', label_zh: '其他', label_en: 'Other', requires: ['description'] },
  ],
};
const created = '2026-11-26T08:00:00Z';
const now = Date.parse('2026-11-26T12:00:00Z');

describe('reply form rules', () => {
  it('takes required fields from the rules API', () => {
    expect([...requiredFields(rules, 'unreachable')].sort()).toEqual(['contact_at', 'evidence']);
    expect([...requiredFields(rules, 'agreed')]).toEqual([]);
    expect([...requiredFields(rules, 'nope')]).toEqual([]);
  });
  it('falls back to the domain defaults without rules', () => {
    expect([...requiredFields(null, 'unreachable')]).toContain('evidence');
    expect(DEFAULT_REPLY_OPTIONS.map((o) => o.code)).toEqual(['agreed', 'unreachable', 'not_agreed', 'other']);
  });
  it('requires an option', () => {
    expect(validateReply({}, rules, created, now)).toEqual({ option: 'required' });
  });
  it('requires evidence and contact time when unreachable', () => {
    expect(validateReply({ option: 'unreachable' }, rules, created, now)).toEqual({ evidence: 'required', contact_at: 'required' });
    expect(validateReply({ option: 'unreachable', attachment_ids: ['9'], contact_at: '2026-11-26T09:00:00Z' }, rules, created, now)).toEqual({});
  });
  it('requires a remark for other', () => {
    expect(validateReply({ option: 'other', description: '  ' }, rules, created, now)).toEqual({ description: 'required' });
  });
  it('rejects a contact time before the work order was created, or in the future', () => {
    expect(validateReply({ option: 'agreed', contact_at: '2026-11-26T07:59:00Z' }, rules, created, now)).toEqual({ contact_at: 'before_created' });
    expect(validateReply({ option: 'agreed', contact_at: '2026-11-27T07:59:00Z' }, rules, created, now)).toEqual({ contact_at: 'in_future' });
  });
});

describe('evidence files', () => {
  it('accepts images, PDF and MP4 up to 20 MiB and 9 files', () => {
    const f = (name: string, type: string, size = 1000) => ({ name, type, size });
    const r = checkFiles(
      [f('a.jpg', 'image/jpeg'), f('b.exe', 'application/x-msdownload'), f('c.pdf', 'application/pdf', 21 * 1024 * 1024), f('d.mp4', 'video/mp4')],
      7,
    );
    expect(r.ok).toEqual([0, 3]);
    expect(r.problems).toEqual([
      { name: 'b.exe', problem: 'bad_type' },
      { name: 'c.pdf', problem: 'too_big' },
    ]);
    const full = checkFiles([f('x.png', 'image/png')], 9);
    expect(full.problems[0].problem).toBe('too_many');
  });
});

describe('judgement outcomes', () => {
  it('reads an object of outcome → remedies', () => {
    expect(outcomeChoices({ ...rules, outcomes: { support_buyer: ['refund'], support_seller: ['payout'] } })).toEqual([
      { outcome: 'support_buyer', remedies: ['refund'] },
      { outcome: 'support_seller', remedies: ['payout'] },
    ]);
  });
  it('has domain defaults', () => {
    expect(outcomeChoices(null).map((c) => c.outcome)).toEqual(['support_buyer', 'support_seller']);
  });
});
