import { describe, expect, it } from 'vitest';
import { createLatest } from './latest';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('latest request wins', () => {
  it('delivers only the newest answer, even when an older one comes last', async () => {
    const latest = createLatest();
    const shown: string[] = [];
    const first = deferred<string>();
    const second = deferred<string>();
    latest(first.promise).then((v) => shown.push(v));
    latest(second.promise).then((v) => shown.push(v));
    second.resolve('filter B');
    first.resolve('filter A');
    await tick();
    expect(shown).toEqual(['filter B']);
  });
  it('passes the newest failure on and drops an older one', async () => {
    const latest = createLatest();
    const errors: unknown[] = [];
    const old = deferred<string>();
    const now = deferred<string>();
    latest(old.promise).catch((e) => errors.push(e));
    latest(now.promise).catch((e) => errors.push(e));
    old.reject(new Error('old'));
    now.reject(new Error('new'));
    await tick();
    expect(errors.map((e) => (e as Error).message)).toEqual(['new']);
  });
  it('delivers nothing after cancel (the page left)', async () => {
    const latest = createLatest();
    const shown: string[] = [];
    const d = deferred<string>();
    latest(d.promise).then((v) => shown.push(v));
    latest.cancel();
    d.resolve('late');
    await tick();
    expect(shown).toEqual([]);
  });
  it('tells a request that reports along the way whether it still counts', async () => {
    const latest = createLatest();
    const progress: number[] = [];
    const first = latest.begin();
    const report = (n: number) => first.live() && progress.push(n);
    report(1);
    const second = latest.begin();
    report(2);
    expect(progress).toEqual([1]);
    expect(second.live()).toBe(true);
    latest.cancel();
    expect(second.live()).toBe(false);
    const shown: string[] = [];
    second.settle(Promise.resolve('late')).then((v) => shown.push(v));
    await tick();
    expect(shown).toEqual([]);
  });
});
