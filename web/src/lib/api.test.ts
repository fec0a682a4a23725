import { describe, expect, it } from 'vitest';
import { fillPath, get, type Answer, type Body } from './api';
import type { WoDetail, WorkOrder } from './types';

describe('requests typed by path', () => {
  it('fills the ids of a path, encoded, and appends the query without its empty values', () => {
    expect(fillPath('/workorders/{id}/notes', { id: '42' })).toBe('/workorders/42/notes');
    expect(fillPath('/orders/{order_no}', { order_no: 'A/1 #2' })).toBe('/orders/A%2F1%20%232');
    expect(fillPath('/workorders', {}, { view: 'todo', q: '', after: undefined, limit: 50 })).toBe('/workorders?view=todo&limit=50');
  });
  it('refuses a path whose id was not given (no request to /workorders/{id})', () => {
    expect(() => fillPath('/workorder_types/{key}/fields/{field}', { key: 'x-1001' })).toThrow(/no value for \{field\}/);
  });
  it('types the answer and the body from the contract', () => {
    // compile-time checks (tsc runs over the tests): the answer of a path is the contract's schema
    const detail: Answer<'get', '/workorders/{id}'> = {} as WoDetail;
    const created: WorkOrder = {} as Answer<'post', '/workorders'>;
    const body: Body<'post', '/workorders/{id}/transfer'> = { to: '7', reason: '换人' };
    // @ts-expect-error a path the contract lacks does not compile
    const nope = () => get('/no/such/path');
    // @ts-expect-error a path with an id needs it
    const noId = () => get('/workorders/{id}');
    expect([detail, created, body.to, typeof nope, typeof noId]).toEqual([{}, {}, '7', 'function', 'function']);
  });
});
