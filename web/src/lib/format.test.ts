import { describe, expect, it } from 'vitest';
import { countdown, formatDuration, formatFen, formatRate, formatTime, formatTimeSec, presetDeadline, secondsToHours, toRfc3339 } from './format';

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration((3600 + 5 * 60 + 7) * 1000, 'zh')).toBe('1小时5分');
    expect(formatDuration((86400 + 3 * 3600) * 1000, 'en')).toBe('1d 3h');
    expect(formatDuration(42_000, 'zh')).toBe('42秒');
    expect(formatDuration(0, 'en')).toBe('0s');
  });
  it('skips a zero second unit', () => {
    expect(formatDuration(2 * 3600_000, 'zh')).toBe('2小时');
    expect(formatDuration(86400_000 + 30_000, 'en')).toBe('1d');
  });
});

describe('countdown', () => {
  const now = Date.parse('2026-11-26T08:00:00Z');
  it('counts down to a future deadline', () => {
    const c = countdown('2026-11-26T10:30:00Z', now, 'zh');
    expect(c).toEqual({ text: '剩余 2小时30分', overdue: false, urgent: false });
  });
  it('marks less than an hour as urgent', () => {
    expect(countdown('2026-11-26T08:10:00+00:00', now, 'en')).toEqual({ text: '10m left', overdue: false, urgent: true });
  });
  it('turns overdue at the deadline', () => {
    expect(countdown('2026-11-26T08:00:00Z', now, 'zh').overdue).toBe(true);
    expect(countdown('2026-11-26T16:00:00+08:00', now + 65_000, 'zh').text).toBe('已超期 1分5秒');
    expect(countdown('2026-11-26T07:00:00Z', now, 'en').text).toBe('Overdue by 1h');
  });
  it('handles no deadline', () => {
    expect(countdown(null, now, 'zh').text).toBe('无截止');
    expect(countdown(undefined, now, 'en').overdue).toBe(false);
  });
});

describe('money and rates', () => {
  it('formats fen as yuan', () => {
    expect(formatFen(1990)).toBe('¥19.90');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(-250)).toBe('-¥2.50');
    expect(formatFen(null)).toBe('—');
  });
  it('formats rates and hours', () => {
    expect(formatRate(0.8125)).toBe('81.3%');
    expect(formatRate(null)).toBe('—');
    expect(secondsToHours(5400)).toBe(1.5);
    expect(secondsToHours(null)).toBeNull();
  });
});

describe('deadline presets', () => {
  const now = Date.parse('2026-11-26T08:00:00Z');
  it('follows the type', () => {
    expect(presetDeadline('order_review', now)?.toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(presetDeadline('shipping', now)?.toISOString()).toBe('2026-11-27T08:00:00.000Z');
    expect(presetDeadline('waybill', now)?.toISOString()).toBe('2026-11-26T12:00:00.000Z');
    expect(presetDeadline('after_sales', now)?.toISOString()).toBe('2026-11-28T08:00:00.000Z');
    expect(presetDeadline('task_memo', now)?.toISOString()).toBe('2026-11-29T08:00:00.000Z');
    expect(presetDeadline('customer_memo', now)).toBeNull();
  });
  it('writes RFC 3339 that parses back to the same instant', () => {
    const d = new Date(now);
    const s = toRfc3339(d);
    expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(Date.parse(s)).toBe(now);
  });
});

describe('times', () => {
  it('shows local minutes, or seconds for things that move by the second', () => {
    const d = new Date(2026, 10, 26, 16, 2, 9);
    expect(formatTime(d.toISOString())).toBe('2026-11-26 16:02');
    expect(formatTimeSec(d.toISOString())).toBe('2026-11-26 16:02:09');
    expect(formatTimeSec(null)).toBe('—');
    expect(formatTimeSec('not a time')).toBe('not a time');
  });
});
