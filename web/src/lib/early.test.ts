import { afterEach, describe, expect, it } from 'vitest';
import { earlyPaths, earlyRoute, takeEarly } from './early';

describe("a page's first requests, started by index.html", () => {
  it('asks /me, the first page of a list exactly as the list asks for it and the saved filters', () => {
    expect(earlyPaths('/list/shop', '')).toEqual(['/me', '/workorders?view=shop&limit=50&sort=-created', '/savedfilters']);
    expect(earlyPaths('/list/todo', '?state=open&q=%E9%80%80%E6%AC%BE&junk=1')).toEqual([
      '/me',
      '/workorders?view=todo&limit=50&state=open&q=%E9%80%80%E6%AC%BE&sort=deadline',
      '/savedfilters',
    ]);
  });
  it('asks for the work order of a work order page', () => {
    expect(earlyPaths('/wo/384413601328267264', '')).toEqual(['/me', '/workorders/384413601328267264']);
  });
  it('asks only /me on other pages, an unknown view or an id that is not one', () => {
    expect(earlyPaths('/', '')).toEqual(['/me']);
    expect(earlyPaths('/list/evil', '')).toEqual(['/me']);
    expect(earlyPaths('/wo/1%27', '')).toEqual(['/me']);
    expect(earlyPaths('/stats', '?view=shop')).toEqual(['/me']);
  });
  it('names the routes whose chunks load at once', () => {
    expect(earlyRoute('/list/shop')).toBe('list');
    expect(earlyRoute('/wo/1')).toBe('workorder');
    expect(earlyRoute('/login')).toBeNull();
  });
});

describe('taking an early answer', () => {
  const g = globalThis as unknown as { window?: unknown };
  afterEach(() => {
    delete g.window;
  });
  const page = (href: string, started: number) => {
    const u = new URL(href, 'http://gongdan.test');
    const res = Promise.resolve(new Response('{}'));
    g.window = { location: { pathname: u.pathname, search: u.search }, __gdEarly: { '/me': { at: u.pathname + u.search, t: started, res } } };
    return { res, win: g.window as { location: { pathname: string; search: string } } };
  };

  it('gives the answer once, to the same GET', () => {
    const { res } = page('/list/shop', performance.now());
    expect(takeEarly('/workorders/1')).toBeNull();
    expect(takeEarly('/me')).toBe(res);
    expect(takeEarly('/me')).toBeNull();
  });
  it('not once the page has moved on, nor when it is older than 30 s', () => {
    const { win } = page('/list/shop', performance.now());
    win.location.pathname = '/list/todo';
    expect(takeEarly('/me')).toBeNull();
    page('/list/shop', performance.now() - 31_000);
    expect(takeEarly('/me')).toBeNull();
  });
  it('without a boot script (npm run dev, tests) there is nothing to take', () => {
    expect(takeEarly('/me')).toBeNull();
    g.window = { location: { pathname: '/', search: '' } };
    expect(takeEarly('/me')).toBeNull();
  });
});
