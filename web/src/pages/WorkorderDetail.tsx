import ArrowLeftOutlined from '@ant-design/icons-svg/es/asn/ArrowLeftOutlined';
import ReloadOutlined from '@ant-design/icons-svg/es/asn/ReloadOutlined';
import { lazy, startTransition, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { DialogKind, DialogValues } from '../components/ActionDialog';
import Facts from '../components/Facts';
import { Countdown, deadlineLabel, FINISHED_STATES, PriorityTag, StateTag, TypeLabel } from '../components/bits';
import PlainButton from '../components/PlainButton';
import PlainCard from '../components/PlainCard';
import PlainIcon from '../components/PlainIcon';
import PlainSpin from '../components/PlainSpin';
import { ApiError, get, patch, post } from '../lib/api';
import ErrorMessage, { ErrorDetail } from '../components/ErrorMessage';
import { describeError } from '../lib/errors';
import { logFailure } from '../lib/logFailure';
import { loadRules } from '../lib/rules';
import { useAfterPaint } from '../lib/afterPaint';
import { AntdZone } from '../lib/antdZone';
import { isPlatform, useApp } from '../lib/app';
import { chunk } from '../lib/chunk';
import { describeEvent } from '../lib/events';
import { formatTime } from '../lib/format';
import { type WoDetail, type WoEvent, type WorkorderAction, type WorkOrder } from '../lib/types';
import { useNotices } from '../lib/notices';
import { useUsers } from '../lib/users';
import { isWide } from '../lib/wide';
import { fieldValueText, useWorkorderTypes } from '../lib/workorderTypes';

// This module holds no antd: a phone draws the work order's first screen (the title line and the 工单信息
// card) from plain elements before antd has loaded (docs/decisions.md, "A phone's first screen evaluates
// no antd"); the rest (the other cards, the actions, the timeline) is WorkorderRest's chunk, drawn below
// and beside once the first screen is painted, which a wide screen loads with this page.
const rest = chunk(() => import('./WorkorderRest'));
if (isWide()) void rest.load();
type RestModule = typeof import('./WorkorderRest');
/** The rest's chunk and what this work order's rest draws from other chunks (a case's panel and the platform
 * rules its forms show, a file's tiles), all at once: drawn later, they would move the cards below them
 * (layout shift on a phone, issue 13). */
const loadRest = (d: WoDetail): Promise<RestModule> =>
  Promise.all([
    rest.load().then(async (m) => (await m.prepare(d), m)),
    d.workorder.type === 'collab' && loadRules().catch((e) => logFailure("the platform rules (the case's forms ask again)", e)),
  ]).then(([m]) => m);
const WorkorderProblem = lazy(() => import('../components/WorkorderProblem'));
const ActionDialog = lazy(() => import('../components/ActionDialog'));
// loaded when first opened, or when the pointer or focus reaches 编辑
const loadEditDialog = () => import('../components/EditDialog');
const EditDialog = lazy(loadEditDialog);

const DIALOG_ACTIONS: DialogKind[] = ['assign', 'transfer', 'note', 'chase', 'complete', 'wait_buyer', 'reopen', 'cancel'];

/** The most recent event of a work order (the change that made this page's version stale). */
function latestEvent(d: WoDetail): WoEvent | null {
  let best: WoEvent | null = null;
  for (const ev of d.events ?? []) if (!best || Date.parse(ev.at ?? '') >= Date.parse(best.at ?? '')) best = ev;
  return best;
}

export default function WorkorderDetail() {
  const { id = '' } = useParams();
  const { t, lang, user, onWorkorder, refreshCounts } = useApp();
  // antd's message and modal (the actions' reports), loaded on a phone when first needed
  const { holder: noticeHolder, get: getNotices } = useNotices();
  const [data, setData] = useState<WoDetail | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  // 编辑: mounted anew (round) for each opening, so it shows the work order as it is then
  const [edit, setEdit] = useState<{ open: boolean; round: number } | null>(null);
  const [busy, setBusy] = useState(false);
  // the version and overdue flag last read: a stream event with a newer version or an overdue flag turned reloads
  const versionRef = useRef<{ version: number; overdue: boolean } | null>(null);
  // the title and the fields first (a phone's first screen), the rest after they are painted
  const painted = useAfterPaint(data?.workorder.id);
  const [loadedRest, setLoadedRest] = useState<{ id: string; m: RestModule } | null>(null);
  useEffect(() => {
    if (!painted || !data || loadedRest?.id === data.workorder.id) return;
    let live = true;
    const wid = data.workorder.id;
    // a transition: React draws the rest in slices that yield to the browser (a plain update would draw a
    // case's panel and forms in one long task on a slow phone)
    void loadRest(data).then((m) => live && startTransition(() => setLoadedRest({ id: wid, m })));
    return () => {
      live = false;
    };
  }, [painted, data, loadedRest]);
  const Rest = painted && loadedRest?.id === data?.workorder.id ? loadedRest!.m : null;
  // the rest in four steps, each after the previous one is painted, so a slow phone has short tasks rather
  // than one long one: the left column's first card (a case's panel, or the files), then its order and
  // buyer's history, then the right-hand column's actions and targets, then its timeline. Each step adds
  // below what is drawn (on a phone the right-hand column comes below the left), so nothing on screen moves.
  const wid = data?.workorder.id;
  const leftMore = useAfterPaint(Rest ? wid : undefined);
  const rightDrawn = useAfterPaint(leftMore ? wid : undefined);
  const timelineDrawn = useAfterPaint(rightDrawn ? wid : undefined);

  const load = useCallback(async (): Promise<WoDetail | null> => {
    try {
      const d = await get('/workorders/{id}', { params: { id } });
      versionRef.current = { version: d.workorder.version, overdue: d.workorder.overdue };
      // a transition: React draws the page in slices, so a slow phone has no long task to wait on
      startTransition(() => {
        setData(d);
        setErr(null);
      });
      return d;
    } catch (e) {
      setErr(e ?? new Error('load failed'));
      return null;
    }
  }, [id]);

  useEffect(() => {
    setData(null);
    load();
  }, [load]);

  useEffect(
    () =>
      onWorkorder((ev) => {
        if (ev.id !== id || busy) return;
        const seen = versionRef.current;
        if (seen !== null && ev.version <= seen.version && (!ev.overdue || seen.overdue)) return;
        // Someone else changed it: reload quietly and say so.
        void Promise.all([load(), getNotices()]).then(([, n]) => n.message.info({ content: t('wo.reloaded'), key: 'wo-reloaded' }));
      }),
    [onWorkorder, id, load, busy, t, getNotices],
  );

  /** Run one action; 412 is explained and the page reloaded; other errors are explained (lib/errors.ts). */
  const run = useCallback(
    async (fn: (version: number) => Promise<unknown>) => {
      if (!data) return false;
      // the reports' antd, loaded (on a phone, the first time) while the action is sent
      const reports = getNotices();
      setBusy(true);
      try {
        await fn(data.workorder.version);
        const { message } = await reports;
        message.success(t('wo.done'));
        await load();
        refreshCounts();
        return true;
      } catch (e) {
        if (e instanceof ApiError && e.status === 412) {
          // Someone else changed the work order since this page loaded it: say so, load the new version
          // and show what the latest change was, so the user can decide again.
          const fresh = await load();
          const last = fresh ? latestEvent(fresh) : null;
          const { modal } = await reports;
          modal.warning({
            title: t('wo.staleTitle'),
            className: 'stale-dialog',
            content: (
              <div data-testid="stale-explained">
                <p style={{ margin: 0 }}>{t('wo.stale')}</p>
                {last && (
                  <p style={{ margin: '8px 0 0' }}>
                    {t('wo.staleLatest', {
                      who: last.actor?.display_name ?? t('ev.system'),
                      what: describeEvent(last, lang),
                      at: formatTime(last.at),
                    })}
                  </p>
                )}
                {/* the server's words and the request id, small, for support */}
                <ErrorDetail d={describeError(e, lang)} lang={lang} style={{ display: 'block', fontSize: 12, marginTop: 8 }} />
              </div>
            ),
          });
        } else {
          (await reports).message.error(<ErrorMessage error={e} lang={lang} />, 6);
          if (e instanceof ApiError && e.status === 409) await load();
        }
        return false;
      } finally {
        setBusy(false);
      }
    },
    [data, load, t, lang, refreshCounts, getNotices],
  );

  if (err != null)
    return (
      <AntdZone fallback={<PlainSpin />}>
        <Suspense fallback={<PlainSpin />}>
          <WorkorderProblem error={err} onRetry={load} />
        </Suspense>
      </AntdZone>
    );
  if (!data) return <PlainSpin />;

  const w = data.workorder;
  const finished = FINISHED_STATES.has(w.state);

  const doDialog = async (v: DialogValues) => {
    const k = dialog!;
    const text = v.text?.trim();
    const reason = v.reason?.trim();
    // each action's own path and body (the contract types both)
    const send = (ver: number) => {
      const o = { params: { id: w.id }, ifMatch: ver };
      switch (k) {
        case 'transfer':
          return post('/workorders/{id}/transfer', { ...o, body: { to: v.to!, reason: reason ?? '' } });
        case 'assign':
          return post('/workorders/{id}/assign', { ...o, body: { to: v.to! } });
        case 'note':
          return post('/workorders/{id}/notes', {
            ...o,
            body: { ...(text || !v.attachment_ids?.length ? { text } : {}), ...(v.attachment_ids?.length ? { attachment_ids: v.attachment_ids } : {}) },
          });
        case 'chase':
        case 'complete':
        case 'wait_buyer':
          return post(`/workorders/{id}/${k}`, { ...o, body: text ? { text } : {} });
        case 'reopen':
        case 'cancel':
          return post(`/workorders/{id}/${k}`, { ...o, body: reason ? { reason } : {} });
      }
    };
    const ok = await run(send);
    if (ok) setDialog(null);
    else setDialog(null);
  };

  const onAction = (a: WorkorderAction) => {
    if (a === 'start') run((ver) => post('/workorders/{id}/start', { params: { id: w.id }, ifMatch: ver }));
    else if (a === 'edit') setEdit((e) => ({ open: true, round: (e?.round ?? 0) + 1 }));
    else if ((DIALOG_ACTIONS as string[]).includes(a)) setDialog(a as DialogKind);
  };

  return (
    <div>
      <div style={{ marginBottom: 8 }}>
        <Link to="/list/todo">
          <PlainIcon icon={ArrowLeftOutlined} /> {t('wo.back')}
        </Link>
      </div>
      {/* antd's Space, Row/Col and vertical Space as plain elements in their look (styles.css) */}
      <div className="pspace pspace-wrap" style={{ marginBottom: 12 }}>
        <h1 className="page-title" style={{ margin: 0 }} data-testid="wo-title">
          {/* numbers are per shop: the platform reads the shop with the number */}
          {isPlatform(user) && data.shop ? `${data.shop.name} · ` : ''}
          {w.number} · {w.title}
        </h1>
        <StateTag state={w.state} />
        <PriorityTag p={w.priority} />
        <PlainButton size="small" variant="text" icon={ReloadOutlined} onClick={load} aria-label={t('common.refresh')} />
      </div>
      <div className="prow">
        <div className="pcol pcol-15">
          <div className="pstack">
            <PlainCard title={t('wo.fields')}>
              <Facts
                testid="wo-fields"
                items={[
                  { key: 'type', label: t('col.type'), value: <TypeLabel type={w.type} /> },
                  { key: 'state', label: t('col.state'), value: <span data-testid="wo-state">{t(`state.${w.state}`)}</span> },
                  { key: 'handler', label: t('col.handler'), value: <span data-testid="wo-handler">{w.handler?.display_name ?? '—'}</span> },
                  { key: 'creator', label: t('col.creator'), value: w.creator?.display_name },
                  { key: 'created', label: t('col.created'), value: formatTime(w.created_at) },
                  {
                    key: 'deadline',
                    label: deadlineLabel(t, w.type, w.state),
                    value: (
                      <span className="facts-inline">
                        {formatTime(w.deadline)}
                        {w.deadline && !finished && <Countdown deadline={w.deadline} overdue={w.overdue} />}
                      </span>
                    ),
                  },
                  { key: 'order', label: t('col.order'), value: w.order_no ?? '—' },
                  { key: 'buyer', label: t('col.buyer'), value: <span className="nowrap">{w.buyer_nick ?? '—'}</span> },
                ]}
              />
              <CustomFields wo={w} />
              <h2 className="card-title" style={{ margin: '8px 0' }}>
                {t('wo.content')}
              </h2>
              <div className="wo-content">{w.content || '—'}</div>
            </PlainCard>
            {Rest && <Rest.default data={data} run={run} more={leftMore} />}
          </div>
        </div>
        {Rest && rightDrawn && (
          <div className="pcol pcol-9">
            <Rest.WorkorderRestRight data={data} busy={busy} onAction={onAction} onEditNear={loadEditDialog} timeline={timelineDrawn} />
          </div>
        )}
      </div>
      {noticeHolder}
      {(dialog || edit) && (
        <AntdZone>
          <Suspense fallback={null}>
            {dialog && (
              <ActionDialog
                kind={dialog}
                open={!!dialog}
                busy={busy}
                excludeId={dialog === 'transfer' ? w.handler?.id : undefined}
                withFiles={w.type !== 'collab'}
                workorder={w}
                onOk={doDialog}
                onClose={() => setDialog(null)}
              />
            )}
            {edit && (
              <EditDialog
                key={edit.round}
                wo={w}
                open={edit.open}
                busy={busy}
                onSave={async (body) => {
                  const ok = await run((ver) => patch('/workorders/{id}', { params: { id: w.id }, body, ifMatch: ver }));
                  if (ok) setEdit({ ...edit, open: false });
                }}
                onClose={() => setEdit({ ...edit, open: false })}
              />
            )}
          </Suspense>
        </AntdZone>
      )}
    </div>
  );
}

/** The values of a shop type's custom fields (docs/types.md), in the type's order of display; a value
 * of a field since retired is shown too (it stays on the work order). */
function CustomFields({ wo }: { wo: WorkOrder }) {
  const { t, lang } = useApp();
  const [defs] = useWorkorderTypes();
  const users = useUsers();
  const def = defs.find((d) => d.key === wo.type);
  const values = wo.fields ?? {};
  const shown = (def?.fields ?? []).filter((f) => values[f.key] !== undefined).sort((a, b) => a.position - b.position);
  if (shown.length === 0) return null;
  return (
    <div style={{ marginTop: 8 }}>
      <Facts
        title={t('types.detailFields')}
        testid="wo-custom-fields"
        items={shown.map((f) => ({
          key: f.key,
          label: lang === 'en' ? f.label_en : f.label_zh,
          value: <span data-testid={`wo-field-${f.key}`}>{fieldValueText(t, f, values[f.key], users)}</span>,
        }))}
      />
    </div>
  );
}
