import { describe, expect, it } from 'vitest';
import { isHhmm, rowsOf, settingsBody, typesLeft } from './targets';
import type { WorkorderTypeDef } from './types';

const shopType = (key: string, retired: boolean) =>
  ({
    key,
    builtin: false,
    name_zh: key,
    name_en: key,
    default_deadline_hours: 0,
    default_handler_id: null,
    color: '#1677ff',
    retired,
    fields: [],
  }) as WorkorderTypeDef;

describe('time targets form', () => {
  it('takes times of day as HH:MM, with 24:00 as the end of the day', () => {
    expect(isHhmm('09:00')).toBe(true);
    expect(isHhmm('24:00')).toBe(true);
    expect(isHhmm('9:00')).toBe(false);
    expect(isHhmm('24:30')).toBe(false);
    expect(isHhmm('18:60')).toBe(false);
  });

  it('sends empty minutes as no target and reads them back as empty', () => {
    const body = settingsBody('09:00', '18:00', [{ type: 'shipping', fr: null, res: 240, remind: null, escalate: false }]);
    expect(body).toEqual({
      hours: { start: '09:00', end: '18:00' },
      types: [{ type: 'shipping', first_response_minutes: 0, resolution_minutes: 240, remind_before_minutes: 0, escalate_to_queue: false }],
    });
    expect(rowsOf(body)).toEqual([{ type: 'shipping', fr: null, res: 240, remind: null, escalate: false }]);
  });

  it('offers each type once, never the collaborative one', () => {
    const rows = rowsOf({ hours: { start: '09:00', end: '18:00' }, types: [{ type: 'after_sales', resolution_minutes: 60 }] });
    const left = typesLeft(rows, []);
    expect(left).not.toContain('after_sales');
    expect(left).not.toContain('collab');
    expect(left).toContain('shipping');
    expect(left.length).toBe(6);
  });

  it("offers the shop's own active types after the built-in ones, each once", () => {
    const defs = [shopType('x-1000', false), shopType('x-1001', true), shopType('x-1002', false)];
    const rows = rowsOf({ hours: { start: '09:00', end: '18:00' }, types: [{ type: 'x-1002', resolution_minutes: 60 }] });
    const left = typesLeft(rows, defs);
    expect(left.slice(-1)).toEqual(['x-1000']);
    expect(left).not.toContain('x-1001'); // retired: no new policy
    expect(left).not.toContain('x-1002'); // has one
    expect(left.length).toBe(8);
  });
});
