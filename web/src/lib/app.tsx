import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { del, get, post, setCsrf, setPasswordChangeHandler, setUnauthorizedHandler } from './api';
import { initialLang, translate, type Lang, type MsgKey, type Translate, type Vars } from './i18n';
import { useLatest } from './latest';
import { logFailure } from './logFailure';
import { hadSession, markSession } from './session';
import type { Counts, User } from './types';

/** A `workorder` stream event: the work order changed. The deadline engine's overdue mark keeps the
 * version and sets `overdue`, so "changed since I read it" is a newer version or an overdue flag turned. */
export interface WorkorderEvent {
  id: string;
  version: number;
  overdue: boolean;
}

interface AppState {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: Translate;
  user: User | null;
  /** undefined while /me is loading */
  ready: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** ask /me again (after one's name or password changed) */
  refreshUser: () => Promise<void>;
  counts: Counts | null;
  refreshCounts: () => void;
  live: boolean;
  /** the bell: the signed-in user's unread notifications, live over the stream (null until known) */
  unread: number | null;
  setUnread: (n: number) => void;
  /** subscribe to `workorder` stream events ({id, version, overdue}); returns the unsubscribe function */
  onWorkorder: (fn: (ev: WorkorderEvent) => void) => () => void;
}

const Ctx = createContext<AppState | null>(null);

/** The language alone: what a list's many small parts (tags, countdowns, type names) need. They read
 * it from here, so the counts, the live dot or the bell moving does not render each of them again. */
interface LangState {
  lang: Lang;
  t: Translate;
}
const LangCtx = createContext<LangState | null>(null);

export function useLang(): LangState {
  const c = useContext(LangCtx);
  if (!c) throw new Error('useLang outside AppProvider');
  return c;
}

export function useApp(): AppState {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside AppProvider');
  return c;
}

export function useT() {
  return useLang().t;
}

function storedLang(): string | null {
  try {
    return localStorage.getItem('gongdan.lang');
  } catch {
    return null;
  }
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(storedLang()));
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  const [counts, setCountsNow] = useState<Counts | null>(null);
  // the same counts again (the stream sends them when it opens, right after the first read) keep
  // their object: what follows the counts (saved filters' counts, badges) is not asked or drawn again
  const setCounts = useCallback((next: Counts | null) => {
    setCountsNow((prev) => (prev && next && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
  }, []);
  const [live, setLive] = useState(false);
  const [unread, setUnread] = useState<number | null>(null);
  const listeners = useRef(new Set<(ev: WorkorderEvent) => void>());

  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem('gongdan.lang', l);
    } catch {
      /* private mode */
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = translate(lang, 'app.title') + ' · gongdan';
  }, [lang]);

  const t = useCallback((key: MsgKey, vars?: Vars) => translate(lang, key, vars), [lang]);

  // Who am I? Only asked when this browser signed in before, so a fresh visit logs no 401.
  const latestMe = useLatest();
  useEffect(() => {
    if (!hadSession()) {
      setReady(true);
      return;
    }
    latestMe(get('/me', { quiet401: true }))
      .then(
        (r) => {
          setCsrf(r.csrf_token);
          setUser(r.user);
        },
        () => {
          // signed out (401) or the session is gone: the sign-in page is the answer
          markSession(false);
          setUser(null);
        },
      )
      .finally(() => setReady(true));
  }, [latestMe]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      markSession(false);
      setCsrf(null);
      setUser(null);
    });
    // any request refused for an unchanged password set by someone else: show only that form
    setPasswordChangeHandler(() => setUser((u) => (u && !u.must_change_password ? { ...u, must_change_password: true } : u)));
    return () => {
      setUnauthorizedHandler(null);
      setPasswordChangeHandler(null);
    };
  }, []);

  const refreshUser = useCallback(async () => {
    const r = await get('/me');
    setCsrf(r.csrf_token);
    setUser(r.user);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const r = await post('/session', { body: { username, password }, quiet401: true });
    setCsrf(r.csrf_token);
    markSession(true);
    setUser(r.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await del('/session', { quiet401: true });
    } catch {
      /* signed out anyway */
    }
    markSession(false);
    setCsrf(null);
    setUser(null);
    setCounts(null);
    setUnread(null);
  }, []);

  const refreshCounts = useCallback(() => {
    get('/workorders/counts')
      .then(setCounts)
      .catch((e) => logFailure('the badge counts (the stream brings them next)', e));
  }, []);

  // Live counts and work-order changes over Server-Sent Events (none until a set password is changed).
  const signedIn = !!user && !user.must_change_password;
  useEffect(() => {
    if (!signedIn) return;
    refreshCounts();
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource('/api/v1/stream');
    es.onopen = () => setLive(true);
    // The server ends the stream of a user who is deactivated or signed out elsewhere: ask /me,
    // whose 401 shows the sign-in page (a mere network break answers otherwise and the stream retries).
    es.onerror = () => {
      setLive(false);
      get('/me').catch((e) => logFailure('the session check after the stream broke', e));
    };
    es.addEventListener('counts', (e) => {
      try {
        setCounts(JSON.parse((e as MessageEvent).data));
      } catch {
        /* ignore a bad frame */
      }
    });
    // the bell: sent when the stream opens and whenever the count moves (docs/notifications.md)
    es.addEventListener('notifications', (e) => {
      try {
        setUnread(JSON.parse((e as MessageEvent).data).unread);
      } catch {
        /* ignore a bad frame */
      }
    });
    es.addEventListener('workorder', (e) => {
      try {
        const ev = JSON.parse((e as MessageEvent).data);
        listeners.current.forEach((fn) => fn(ev));
      } catch {
        /* ignore */
      }
    });
    // A slow safety net in case the stream is cut by a proxy.
    const timer = window.setInterval(refreshCounts, 60_000);
    return () => {
      es.close();
      window.clearInterval(timer);
      setLive(false);
    };
  }, [signedIn, refreshCounts]);

  const onWorkorder = useCallback((fn: (ev: WorkorderEvent) => void) => {
    listeners.current.add(fn);
    return () => {
      listeners.current.delete(fn);
    };
  }, []);

  const value = useMemo<AppState>(
    () => ({ lang, setLang, t, user, ready, login, logout, refreshUser, counts, refreshCounts, live, unread, setUnread, onWorkorder }),
    [lang, setLang, t, user, ready, login, logout, refreshUser, counts, refreshCounts, live, unread, onWorkorder],
  );
  const langValue = useMemo<LangState>(() => ({ lang, t }), [lang, t]);
  return (
    <Ctx.Provider value={value}>
      <LangCtx.Provider value={langValue}>{children}</LangCtx.Provider>
    </Ctx.Provider>
  );
}

/** The clocks useNow shares: one interval per period for all the components that tick with it. */
const tickers = new Map<number, { fns: Set<(now: number) => void>; id: number }>();

function onTick(intervalMs: number, fn: (now: number) => void): () => void {
  let tk = tickers.get(intervalMs);
  if (!tk) {
    const fns = new Set<(now: number) => void>();
    tk = {
      fns,
      id: window.setInterval(() => {
        const now = Date.now();
        fns.forEach((f) => f(now));
      }, intervalMs),
    };
    tickers.set(intervalMs, tk);
  }
  tk.fns.add(fn);
  const own = tk;
  return () => {
    own.fns.delete(fn);
    if (own.fns.size === 0) {
      window.clearInterval(own.id);
      tickers.delete(intervalMs);
    }
  };
}

/** A ticking clock for countdowns. A list shows 50 of them: they share one interval (onTick), so a
 * second is one task and one render of them all, not 50 timers each rendering its own. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => onTick(intervalMs, setNow), [intervalMs]);
  return now;
}

export const isShopRole = (u: User | null) => !!u && u.role.startsWith('shop_');
export const isLead = (u: User | null) => !!u && (u.role === 'shop_lead' || u.role === 'shop_owner');
export const isPlatform = (u: User | null) => !!u && u.role.startsWith('platform_');
