import { describe, expect, it } from 'vitest';
import { BULK_CHUNK, bulkBody, chunks, runBulk } from './bulk';

const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));

describe('bulk work', () => {
  it('splits 500 ids into ten requests of 50, in order', () => {
    const c = chunks(ids(500));
    expect(c).toHaveLength(10);
    expect(c.every((x) => x.length === BULK_CHUNK)).toBe(true);
    expect(c.flat()).toEqual(ids(500));
    expect(chunks(ids(51)).map((x) => x.length)).toEqual([50, 1]);
  });

  it('sends only the fields the action takes', () => {
    expect(bulkBody('transfer', ['1'], { to: '9', reason: '换人', text: 'x' })).toEqual({ action: 'transfer', ids: ['1'], to: '9', reason: '换人' });
    expect(bulkBody('complete', ['1'], { text: ' ' })).toEqual({ action: 'complete', ids: ['1'] });
    expect(bulkBody('note', ['1'], { text: '备注', to: '9' })).toEqual({ action: 'note', ids: ['1'], text: '备注' });
  });

  it('reports progress after each chunk and keeps one result per id, a refused chunk failing each of its ids', async () => {
    const progress: number[] = [];
    let call = 0;
    const items = await runBulk(
      'chase',
      ids(120),
      {},
      (n) => progress.push(n),
      async (body) => {
        call++;
        const part = body.ids as string[];
        if (call === 2) throw Object.assign(new Error('boom'), { status: 503, code: 'unavailable' });
        return {
          items: part.map((id) => (id === '7' ? { id, ok: false, error: { code: 'invalid_transition', message: 'no' } } : { id, ok: true, version: 2 })),
        };
      },
    );
    expect(progress).toEqual([0, 50, 100, 120]);
    expect(items.map((x) => x.id)).toEqual(ids(120));
    expect(items.filter((x) => !x.ok).map((x) => x.id)).toEqual(['7', ...ids(100).slice(50)]);
    expect(items[6].error?.code).toBe('invalid_transition');
    expect(items[60].error).toMatchObject({ status: 503, code: 'unavailable' });
  });
});
