import { afterEach, describe, expect, it } from 'vitest';
import { prefersReducedMotion } from './reducedMotion';

// A window whose "reduce motion" setting the test turns on and off, as the operating system would.
function fakeWindow(reduce: boolean) {
  const listeners = new Set<() => void>();
  const mql = {
    get matches() {
      return reduce;
    },
    addEventListener: (_: string, f: () => void) => listeners.add(f),
    removeEventListener: (_: string, f: () => void) => listeners.delete(f),
  };
  const asked: string[] = [];
  (globalThis as { window?: unknown }).window = {
    matchMedia: (q: string) => {
      asked.push(q);
      return mql;
    },
  };
  return {
    asked,
    set(v: boolean) {
      reduce = v;
      for (const f of listeners) f();
    },
  };
}

describe('the reduce-motion setting', () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });
  it('is read from prefers-reduced-motion, and follows a change', () => {
    const os = fakeWindow(false);
    expect(prefersReducedMotion()).toBe(false);
    os.set(true);
    expect(prefersReducedMotion()).toBe(true);
    expect(os.asked).toContain('(prefers-reduced-motion: reduce)');
  });
  it('is off where there is no window or no matchMedia (the server render of the build script)', () => {
    expect(prefersReducedMotion()).toBe(false);
    (globalThis as { window?: unknown }).window = {};
    expect(prefersReducedMotion()).toBe(false);
  });
});
