import { App, Button, Card, Col, Descriptions, Empty, Grid, Row, Space } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { lazy, startTransition, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import ActionDialog, { type DialogKind, type DialogValues } from '../components/ActionDialog';
import AttachmentList from '../components/Attachments';
import BuyerHistoryCard from '../components/BuyerHistory';
import EventTimeline from '../components/EventTimeline';
import Facts from '../components/Facts';
import OrderItems from '../components/OrderItems';
import TargetsCard from '../components/TargetsCard';
import { Countdown, deadlineLabel, FINISHED_STATES, PriorityTag, StateTag, TypeLabel } from '../components/bits';
import EvidenceUpload from './collab/EvidenceUpload';
import PageSpin from '../components/PageSpin';
import PlainCard from '../components/PlainCard';
import { ApiError, get, patch, post } from '../lib/api';
import ErrorMessage, { ErrorDetail } from '../components/ErrorMessage';
import { describeError } from '../lib/errors';
import { logFailure } from '../lib/logFailure';
import { loadRules } from '../lib/rules';
import { useAfterPaint } from '../lib/afterPaint';
import { isPlatform, useApp } from '../lib/app';
import { describeEvent } from '../lib/events';
import { formatFen, formatTime } from '../lib/format';
import { type Order, type WoDetail, type WoEvent, type WorkorderAction, type WorkOrder } from '../lib/types';
import { useUsers } from '../lib/users';
import { fieldValueText, useWorkorderTypes } from '../lib/workorderTypes';

// A case's panel, loaded before a case's page is first drawn (load below), and then drawn with it: as a
// lazy component it popped in after the page, under the fields, and moved every card below it (issue
// 13, Lighthouse's layout shift on a phone). Its forms show the platform rules, read with it.
let CollabPanel: typeof import('./collab/CollabPanel').default | null = null;
const loadCollabPanel = async () => {
  CollabPanel ??= (await import('./collab/CollabPanel')).default;
};
const WorkorderProblem = lazy(() => import('../components/WorkorderProblem'));
// loaded when first opened, or when the pointer or focus reaches 编辑
const loadEditDialog = () => import('../components/EditDialog');
const EditDialog = lazy(loadEditDialog);

const DIALOG_ACTIONS: DialogKind[] = ['assign', 'transfer', 'note', 'chase', 'complete', 'wait_buyer', 'reopen', 'cancel'];
const BUTTON_ORDER = [
  'start',
  'complete',
  'wait_buyer',
  'transfer',
  'assign',
  'note',
  'chase',
  'edit',
  'reopen',
  'cancel',
] as const satisfies readonly WorkorderAction[];

export function OrderCard({ order }: { order: Order | null }) {
  const { t } = useApp();
  // on a phone the SKU column gives way, so the price stays on screen without scrolling sideways
  const narrow = !Grid.useBreakpoint().sm;
  if (!order)
    return (
      <Card title={t('wo.order')} size="small">
        <Empty description={t('wo.noOrder')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      </Card>
    );
  return (
    <Card title={`${t('wo.order')} ${order.order_no}`} size="small" data-testid="order-card">
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('col.buyer')}>
          <span className="nowrap">{order.buyer_nick}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('wo.orderStatus')}>{t(`order.${order.status}`)}</Descriptions.Item>
        <Descriptions.Item label={t('wo.amount')}>
          <b data-testid="order-amount">{formatFen(order.paid_amount)}</b>
        </Descriptions.Item>
        <Descriptions.Item label={t('col.created')}>{formatTime(order.created_at)}</Descriptions.Item>
      </Descriptions>
      <OrderItems items={order.items ?? []} narrow={narrow} />
    </Card>
  );
}

/** The work order's files (thumbnails, in-page preview) and, for who may note, an upload to attach more. */
function FilesCard({ detail, canAttach, run }: { detail: WoDetail; canAttach: boolean; run: (fn: (version: number) => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useApp();
  const [ids, setIds] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [round, setRound] = useState(0); // a new uploader after each attach
  const list = detail.attachments ?? [];
  if (!list.length && !canAttach) return null;
  const attach = async () => {
    const ok = await run((ver) => post('/workorders/{id}/attachments', { params: { id: detail.workorder.id }, body: { attachment_ids: ids }, ifMatch: ver }));
    if (ok) {
      setIds([]);
      setRound((r) => r + 1);
    }
  };
  return (
    <Card title={`${t('att.title')}${list.length ? ` (${list.length})` : ''}`} size="small" data-testid="files-card">
      {list.length > 0 && <AttachmentList list={list} />}
      {canAttach && (
        <div style={{ marginTop: list.length ? 12 : 0 }}>
          <EvidenceUpload key={round} onChange={setIds} onBusy={setUploading} hint={t('att.hint')} />
          <Button style={{ marginTop: 8 }} disabled={!ids.length || uploading} onClick={attach} data-testid="attach-submit">
            {uploading ? t('att.uploading') : t('att.add')}
          </Button>
        </div>
      )}
    </Card>
  );
}

/** The most recent event of a work order (the change that made this page's version stale). */
function latestEvent(d: WoDetail): WoEvent | null {
  let best: WoEvent | null = null;
  for (const ev of d.events ?? []) if (!best || Date.parse(ev.at ?? '') >= Date.parse(best.at ?? '')) best = ev;
  return best;
}

export default function WorkorderDetail() {
  const { id = '' } = useParams();
  const { t, lang, user, onWorkorder, refreshCounts } = useApp();
  const { message, modal } = App.useApp();
  const [data, setData] = useState<WoDetail | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  // 编辑: mounted anew (round) for each opening, so it shows the work order as it is then
  const [edit, setEdit] = useState<{ open: boolean; round: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const versionRef = useRef<number | null>(null);
  // the title and the fields first (a phone's first screen), the rest after they are painted
  const rest = useAfterPaint(data?.workorder.id);

  const load = useCallback(async (): Promise<WoDetail | null> => {
    try {
      const d = await get('/workorders/{id}', { params: { id } });
      if (d.workorder.type === 'collab')
        await Promise.all([loadCollabPanel(), loadRules().catch((e) => logFailure("the platform rules (the case's forms ask again)", e))]);
      versionRef.current = d.workorder.version;
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
        if (versionRef.current !== null && ev.version <= versionRef.current) return;
        // Someone else changed it: reload quietly and say so.
        load().then(() => message.info({ content: t('wo.reloaded'), key: 'wo-reloaded' }));
      }),
    [onWorkorder, id, load, busy, message, t],
  );

  /** Run one action; 412 is explained and the page reloaded; other errors are explained (lib/errors.ts). */
  const run = useCallback(
    async (fn: (version: number) => Promise<unknown>) => {
      if (!data) return false;
      setBusy(true);
      try {
        await fn(data.workorder.version);
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
          message.error(<ErrorMessage error={e} lang={lang} />, 6);
          if (e instanceof ApiError && e.status === 409) await load();
        }
        return false;
      } finally {
        setBusy(false);
      }
    },
    [data, load, message, modal, t, lang, refreshCounts],
  );

  if (err != null)
    return (
      <Suspense fallback={<PageSpin />}>
        <WorkorderProblem error={err} onRetry={load} />
      </Suspense>
    );
  if (!data) return <PageSpin />;

  const w = data.workorder;
  const allowed = new Set(data.allowed_actions ?? []);
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

  const buttons = BUTTON_ORDER.filter((a) => allowed.has(a)).map((a) => {
    const primary = a === 'start' || a === 'complete';
    const danger = a === 'cancel';
    const onClick = () => {
      if (a === 'start') run((ver) => post('/workorders/{id}/start', { params: { id: w.id }, ifMatch: ver }));
      else if (a === 'edit') {
        setEdit((e) => ({ open: true, round: (e?.round ?? 0) + 1 }));
      } else if ((DIALOG_ACTIONS as string[]).includes(a)) setDialog(a as DialogKind);
    };
    return (
      <Button
        key={a}
        type={primary ? 'primary' : 'default'}
        danger={danger}
        onClick={onClick}
        onMouseEnter={a === 'edit' ? loadEditDialog : undefined}
        onFocus={a === 'edit' ? loadEditDialog : undefined}
        loading={busy && a === 'start'}
        data-testid={`act-${a}`}
      >
        {t(`act.${a}`)}
      </Button>
    );
  });

  return (
    <div>
      <div style={{ marginBottom: 8 }}>
        <Link to="/list/todo">
          <ArrowLeftOutlined /> {t('wo.back')}
        </Link>
      </div>
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <h1 className="page-title" style={{ margin: 0 }} data-testid="wo-title">
          {/* numbers are per shop: the platform reads the shop with the number */}
          {isPlatform(user) && data.shop ? `${data.shop.name} · ` : ''}
          {w.number} · {w.title}
        </h1>
        <StateTag state={w.state} />
        <PriorityTag p={w.priority} />
        <Button size="small" type="text" icon={<ReloadOutlined />} onClick={load} aria-label={t('common.refresh')} />
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
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
            {/* a case's files are its evidence, shown by step in the collaborative panel */}
            {rest && w.type !== 'collab' && <FilesCard detail={data} canAttach={allowed.has('note')} run={run} />}
            {rest && w.type === 'collab' && CollabPanel && <CollabPanel detail={data} run={run} />}
            {rest && <OrderCard order={data.order} />}
            {rest && w.buyer_nick && <BuyerHistoryCard id={w.id} version={w.version} />}
          </Space>
        </Col>
        {rest && (
          <Col xs={24} lg={9}>
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              {buttons.length > 0 && (
                <Card title={t('wo.actions')} size="small">
                  <Space wrap data-testid="wo-actions">
                    {buttons}
                  </Space>
                </Card>
              )}
              {w.type !== 'collab' && <TargetsCard id={w.id} version={w.version} />}
              <PlainCard title={t('wo.timeline')}>
                <EventTimeline events={data.events} />
              </PlainCard>
            </Space>
          </Col>
        )}
      </Row>
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
        <Suspense fallback={null}>
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
        </Suspense>
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
