import { describe, expect, it } from 'vitest';
import { initialOrder, openOf, panelTarget, titleFromContent } from './panel';
import type { BuyerHistory, WorkOrder } from './types';

const wo = (id: string, type: string, state: string, deadline: string | null) => ({ id, type, state, deadline }) as unknown as WorkOrder;
const history = (workorders: WorkOrder[], orders: string[] = []) =>
  ({
    buyer_nick: 'b',
    orders: orders.map((order_no) => ({ order_no })),
    workorders,
    more: false,
    disputes: { total: 0, open: 0, settled: 0, for_buyer: 0, for_seller: 0 },
  }) as unknown as BuyerHistory;

describe('panelTarget', () => {
  it('reads the order, the buyer and a refused link from the address', () => {
    expect(panelTarget('?order_no=TB1')).toEqual({ orderNo: 'TB1', buyer: null, linkError: null });
    expect(panelTarget('?buyer=%E5%B0%8F%E6%9E%97')).toEqual({ orderNo: null, buyer: '小林', linkError: null });
    expect(panelTarget('?link_error=used&shop=1')).toEqual({ orderNo: null, buyer: null, linkError: 'used' });
    expect(panelTarget('?link_error=tampered').linkError).toBe('invalid');
    expect(panelTarget('?order_no=%20')).toEqual({ orderNo: null, buyer: null, linkError: null });
  });
});

describe('openOf', () => {
  it('keeps the open ones, cases apart, the nearest deadline first and none last', () => {
    const h = history([
      wo('done', 'after_sales', 'done', '2026-01-01T00:00:00Z'),
      wo('late', 'after_sales', 'open', '2026-01-03T00:00:00Z'),
      wo('none', 'task_memo', 'in_progress', null),
      wo('soon', 'shipping', 'open', '2026-01-02T00:00:00Z'),
      wo('case', 'collab', 'awaiting_seller', '2026-01-02T00:00:00Z'),
      wo('closed-case', 'collab', 'final', null),
      wo('judged', 'collab', 'judged', null),
    ]);
    const o = openOf(h);
    expect(o.workorders.map((w) => w.id)).toEqual(['soon', 'late', 'none']);
    expect(o.cases.map((w) => w.id)).toEqual(['case', 'judged']);
  });
});

describe('titleFromContent', () => {
  it('takes the first non-empty line and cuts long ones by characters', () => {
    expect(titleFromContent('\n  买家要改地址  \n新地址：杭州')).toBe('买家要改地址');
    const long = '退'.repeat(40);
    expect(titleFromContent(long)).toBe('退'.repeat(30) + '…');
    expect(titleFromContent('   ')).toBe('');
  });
});

describe('initialOrder', () => {
  it("is the asked order when it is the buyer's, else the newest", () => {
    const h = history([], ['TB2', 'TB1']);
    expect(initialOrder(h, 'TB1')).toBe('TB1');
    expect(initialOrder(h, 'OTHER')).toBe('TB2');
    expect(initialOrder(history([], []), 'TB1')).toBe(null);
  });
});
