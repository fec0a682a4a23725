import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, get, post, setCsrf, uuid } from '../lib/api';
import { errorText } from '../lib/errors';
import { countdown, formatFen, formatTime } from '../lib/format';
import { initialLang, translate, type Lang, type MsgKey, type Vars } from '../lib/i18n';
import { initialOrder, openOf, panelTarget, titleFromContent } from '../lib/panel';
import type { BuyerHistory, User, WorkOrder, WorkorderTypeDef } from '../lib/types';
import { loadWorkorderTypes, typeName } from '../lib/workorderTypes';

/**
 * The chat-side panel (docs/panel.md): about 400 px beside an IM conversation. The buyer's orders
 * (one chosen), their open work orders and collaborative cases with the time left, and a work
 * order made on the chosen order from two inputs, the content and the handler, with one button.
 */

interface Handler {
  id: string;
  display_name: string;
  active?: boolean;
}

function storedLang(): string | null {
  try {
    return localStorage.getItem('gongdan.lang');
  } catch {
    return null;
  }
}

export default function Panel() {
  const lang: Lang = useMemo(() => initialLang(storedLang()), []);
  const t = useCallback((key: MsgKey, vars?: Vars) => translate(lang, key, vars), [lang]);
  const target = useMemo(() => panelTarget(window.location.search), []);
  const [me, setMe] = useState<User | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [history, setHistory] = useState<BuyerHistory | null>(null);
  const [handlers, setHandlers] = useState<Handler[]>([]);
  // the shop's own types' names (x-1000 reads as its name, as in the workbench); null until read,
  // so a work order never shows its type's key first
  const [typeDefs, setTypeDefs] = useState<WorkorderTypeDef[] | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [order, setOrder] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t('panel.title')} · gongdan`;
  }, [lang, t]);

  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(id);
  }, []);

  const loadHistory = useCallback(async () => {
    const h = await get('/buyer_history', { query: target.orderNo ? { order_no: target.orderNo } : { buyer: target.buyer ?? '' } });
    setHistory(h);
    return h;
  }, [target]);

  useEffect(() => {
    if (target.linkError || (!target.orderNo && !target.buyer)) return;
    let live = true;
    (async () => {
      try {
        const m = await get('/me', { quiet401: true });
        if (!live) return;
        setCsrf(m.csrf_token);
        setMe(m.user);
        const [h, users, defs] = await Promise.all([loadHistory(), get('/users'), loadWorkorderTypes(m.user)]);
        if (!live) return;
        setTypeDefs(defs);
        setOrder(initialOrder(h, target.orderNo));
        setHandlers(users.items.filter((u) => u.active !== false));
      } catch (e) {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) setSignedOut(true);
        else setLoadErr(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [target, loadHistory]);

  let notice: string | null = null;
  if (target.linkError) notice = t(`panel.linkError.${target.linkError}`);
  else if (!target.orderNo && !target.buyer) notice = t('panel.nothing');
  else if (signedOut) notice = t('panel.signedOut');

  const open = history ? openOf(history) : null;
  return (
    <main className="panel">
      <header className="panel-head">
        <h1>{t('panel.title')}</h1>
        {history?.buyer_nick && <span className="panel-buyer">{t('panel.buyer', { nick: history.buyer_nick })}</span>}
      </header>
      {notice && (
        <p className="panel-notice" role="alert" data-testid="panel-notice">
          {notice}
        </p>
      )}
      {loadErr != null && (
        <p className="panel-notice" role="alert">
          {errorText(loadErr, lang)}
        </p>
      )}
      {!notice && !loadErr && (!history || !typeDefs) && <div className="panel-loading" role="status" aria-label={t('common.loading')} />}
      {history && me && open && typeDefs && (
        <>
          {history.disputes.total > 0 && <p className="panel-disputes">{t('panel.disputes', { n: history.disputes.total, b: history.disputes.for_buyer })}</p>}
          <section aria-labelledby="panel-orders">
            <h2 id="panel-orders">{t('panel.orders', { n: history.orders.length })}</h2>
            {history.orders.length === 0 ? (
              <p className="panel-empty">{t('panel.noOrders')}</p>
            ) : (
              <ul className="panel-orders" data-testid="panel-orders">
                {history.orders.map((o) => (
                  <li key={o.order_no}>
                    <label className={o.order_no === order ? 'chosen' : undefined}>
                      <input type="radio" name="order" value={o.order_no} checked={o.order_no === order} onChange={() => setOrder(o.order_no)} />
                      <span className="panel-order-no">{o.order_no}</span>
                      <span>{t(`order.${o.status}`)}</span>
                      <span>{formatFen(o.paid_amount)}</span>
                      <span className="panel-dim">{formatTime(o.created_at)}</span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <WorkorderList
            title={t('panel.workorders', { n: open.workorders.length })}
            empty={t('panel.noWorkorders')}
            items={open.workorders}
            typeDefs={typeDefs}
            now={now}
            lang={lang}
            testid="panel-workorders"
          />
          <WorkorderList
            title={t('panel.cases', { n: open.cases.length })}
            empty={t('panel.noCases')}
            items={open.cases}
            typeDefs={typeDefs}
            now={now}
            lang={lang}
            testid="panel-cases"
          />
          <CreateForm key={order ?? ''} order={order} me={me} handlers={handlers} lang={lang} onCreated={loadHistory} />
        </>
      )}
    </main>
  );
}

function WorkorderList({
  title,
  empty,
  items,
  typeDefs,
  now,
  lang,
  testid,
}: {
  title: string;
  empty: string;
  items: WorkOrder[];
  typeDefs: readonly WorkorderTypeDef[];
  now: number;
  lang: Lang;
  testid: string;
}) {
  const t = (key: MsgKey, vars?: Vars) => translate(lang, key, vars);
  return (
    <section>
      <h2>{title}</h2>
      {items.length === 0 ? (
        <p className="panel-empty">{empty}</p>
      ) : (
        <ul className="panel-wos" data-testid={testid}>
          {items.map((w) => {
            const cd = countdown(w.deadline, now, lang);
            return (
              <li key={w.id} data-wo={w.id}>
                <div className="panel-wo-line">
                  <a href={`/wo/${w.id}`} target="_blank" rel="noopener">
                    {w.number}
                  </a>
                  <span className="panel-tag">{t(`state.${w.state}`)}</span>
                  <span className={`panel-cd${cd.overdue ? ' overdue' : cd.urgent ? ' urgent' : ''}`} data-testid="panel-countdown">
                    {cd.text}
                  </span>
                </div>
                <div className="panel-wo-title">{w.type === 'collab' ? w.title : `${typeName(t, lang, w.type, typeDefs)} · ${w.title}`}</div>
                <div className="panel-dim">
                  {w.order_no ?? '—'} · {w.handler?.display_name ?? '—'}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function CreateForm({
  order,
  me,
  handlers,
  lang,
  onCreated,
}: {
  order: string | null;
  me: User;
  handlers: Handler[];
  lang: Lang;
  onCreated: () => Promise<unknown>;
}) {
  const t = (key: MsgKey, vars?: Vars) => translate(lang, key, vars);
  const [content, setContent] = useState('');
  const [handler, setHandler] = useState(me.id);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [created, setCreated] = useState<WorkOrder | null>(null);
  // one key per work order being written: a second click or a retry makes no second one
  const idem = useRef(uuid());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!content.trim()) {
      setMissing(true);
      document.getElementById('panel-content')?.focus();
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      const wo = await post('/workorders', {
        body: { type: 'after_sales', title: titleFromContent(content), content: content.trim(), order_no: order ?? undefined, handler_id: handler },
        idempotencyKey: idem.current,
      });
      idem.current = uuid();
      setContent('');
      // the confirmation comes once the open work orders show the new one (or their reload failed,
      // which the catch below shows), not before
      try {
        await onCreated();
      } finally {
        setCreated(wo);
      }
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };

  if (!order) return <p className="panel-empty">{t('panel.pickOrder')}</p>;
  return (
    <form className="panel-create" onSubmit={submit} noValidate aria-labelledby="panel-create-title">
      <h2 id="panel-create-title">{t('panel.create', { order })}</h2>
      <label htmlFor="panel-content">{t('panel.content')}</label>
      <textarea
        id="panel-content"
        rows={3}
        maxLength={5000}
        value={content}
        placeholder={t('panel.contentPlaceholder')}
        aria-invalid={missing || undefined}
        aria-describedby={missing ? 'panel-content-help' : undefined}
        onChange={(e) => {
          setContent(e.target.value);
          setMissing(false);
        }}
      />
      {missing && (
        <div id="panel-content-help" className="panel-help" role="alert">
          {t('panel.contentRequired')}
        </div>
      )}
      <label htmlFor="panel-handler">{t('panel.handler')}</label>
      <select id="panel-handler" value={handler} onChange={(e) => setHandler(e.target.value)}>
        {!handlers.some((h) => h.id === me.id) && <option value={me.id}>{t('panel.me', { name: me.display_name })}</option>}
        {handlers.map((h) => (
          <option key={h.id} value={h.id}>
            {h.id === me.id ? t('panel.me', { name: h.display_name }) : h.display_name}
          </option>
        ))}
      </select>
      {err != null && (
        <div className="panel-help" role="alert">
          {errorText(err, lang)}
        </div>
      )}
      <button type="submit" disabled={busy} aria-busy={busy} data-testid="panel-create">
        {t('panel.submit')}
      </button>
      {created && (
        <p className="panel-created" role="status" data-testid="panel-created">
          {t('panel.created', { number: created.number })}{' '}
          <a href={`/wo/${created.id}`} target="_blank" rel="noopener">
            {t('panel.openInWorkbench')}
          </a>
        </p>
      )}
    </form>
  );
}
