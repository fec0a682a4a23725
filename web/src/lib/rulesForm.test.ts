import { describe, expect, it } from 'vitest';
import { checkRules, diffRules } from './rulesForm';
import type { Rules } from './types';

const base: Partial<Rules> = { version: 3, reply_window_hours: 24, reminder_offsets_hours: [4, 1], reply_options: [] };

describe('the rules form checks', () => {
  it('refuses a reply window of 0 instead of quietly making it 1', () => {
    expect(checkRules({ ...base, reply_window_hours: 0 })).toEqual({ reply_window_hours: 'window_positive' });
    expect(checkRules({ ...base, reply_window_hours: 0.5, reminder_offsets_hours: [] })).toEqual({});
    expect(checkRules({ ...base, reply_window_hours: 10000 })).toMatchObject({ reply_window_hours: 'window_max' });
  });
  it('checks the reminders against the window, on the form', () => {
    expect(checkRules(base)).toEqual({});
    expect(checkRules({ ...base, reply_window_hours: 3 })).toEqual({ reminder_offsets_hours: 'reminder_range' });
    expect(checkRules({ ...base, reminder_offsets_hours: [0] })).toEqual({ reminder_offsets_hours: 'reminder_range' });
    expect(checkRules({ ...base, reminder_offsets_hours: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual({ reminder_offsets_hours: 'reminder_count' });
  });
  it('lists what changed between two versions', () => {
    expect(diffRules(base, { ...base, version: 4, created_at: 'x', reply_window_hours: 12 })).toEqual([{ field: 'reply_window_hours', from: '24', to: '12' }]);
    expect(diffRules(base, base)).toEqual([]);
  });
});
