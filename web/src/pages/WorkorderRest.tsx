import { useState } from 'react';
import BuyerHistoryCard from '../components/BuyerHistory';
import EventTimeline from '../components/EventTimeline';
import Facts from '../components/Facts';
import OrderItems from '../components/OrderItems';
import PlainButton from '../components/PlainButton';
import PlainCard from '../components/PlainCard';
import PlainEmpty from '../components/PlainEmpty';
import PlainSpace from '../components/PlainSpace';
import TargetsCard from '../components/TargetsCard';
import AttachmentList from '../components/Attachments';
import { post } from '../lib/api';
import { useApp } from '../lib/app';
import { formatFen, formatTime } from '../lib/format';
import type { Order, WoDetail, WorkorderAction } from '../lib/types';
import { useWide } from '../lib/wide';
import EvidenceUpload from './collab/EvidenceUpload';

// What a work order page draws after its first screen (WorkorderDetail draws the title and the fields,
// then this chunk below and beside them once they are painted): the files, the order, the buyer's history,
// the actions, the targets and the timeline. Plain elements in antd's look, like the first screen: a
// phone's work order runs no antd until something interactive needs it (a dialog, an action's report, a
// file's preview, a case's forms; docs/decisions.md, "A phone's work order evaluates no antd").

export type Run = (fn: (version: number) => Promise<unknown>) => Promise<boolean>;

export function OrderCard({ order }: { order: Order | null }) {
  const { t } = useApp();
  // on a phone the SKU column gives way, so the price stays on screen without scrolling sideways
  const narrow = !useWide(); // (antd's sm is 576 px: a phone in either case)
  if (!order)
    return (
      <PlainCard title={t('wo.order')}>
        <PlainEmpty description={t('wo.noOrder')} />
      </PlainCard>
    );
  return (
    <PlainCard title={`${t('wo.order')} ${order.order_no}`} testid="order-card">
      <Facts
        items={[
          { key: 'buyer', label: t('col.buyer'), value: <span className="nowrap">{order.buyer_nick}</span> },
          { key: 'status', label: t('wo.orderStatus'), value: t(`order.${order.status}`) },
          { key: 'amount', label: t('wo.amount'), value: <b data-testid="order-amount">{formatFen(order.paid_amount)}</b> },
          { key: 'created', label: t('col.created'), value: formatTime(order.created_at) },
        ]}
      />
      <OrderItems items={order.items ?? []} narrow={narrow} />
    </PlainCard>
  );
}

/** The work order's files (thumbnails, in-page preview) and, for who may note, an upload to attach more. */
export function FilesCard({ detail, canAttach, run }: { detail: WoDetail; canAttach: boolean; run: Run }) {
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
    <PlainCard title={`${t('att.title')}${list.length ? ` (${list.length})` : ''}`} testid="files-card">
      {list.length > 0 && <AttachmentList list={list} />}
      {canAttach && (
        <div style={{ marginTop: list.length ? 12 : 0 }}>
          <EvidenceUpload key={round} onChange={setIds} onBusy={setUploading} hint={t('att.hint')} />
          <PlainButton style={{ marginTop: 8 }} disabled={!ids.length || uploading} onClick={attach} data-testid="attach-submit">
            {uploading ? t('att.uploading') : t('att.add')}
          </PlainButton>
        </div>
      )}
    </PlainCard>
  );
}

// A case's panel (plain, its forms a chunk of their own), loaded before a case's rest is first drawn: as a
// lazy component it popped in after the page, under the fields, and moved every card below it (issue 13,
// Lighthouse's layout shift on a phone).
let CollabPanel: typeof import('./collab/CollabPanel').default | null = null;

/**
 * Loads what this work order's rest draws besides this chunk, so that it is drawn whole (nothing pops in
 * and moves the cards below): a case's panel (and what it needs: collab/CollabPanel.tsx, preparePanel). A
 * plain work order needs nothing more (its files are plain tiles).
 */
export async function prepare(d: WoDetail): Promise<void> {
  if (d.workorder.type === 'collab') {
    const m = await import('./collab/CollabPanel');
    await m.preparePanel(d);
    CollabPanel = m.default;
  }
}

/** The left column's cards under the fields: the files (or a case's panel), then (`more`) the order and the
 * buyer's history. */
export default function WorkorderRestLeft({ data, run, more }: { data: WoDetail; run: Run; more: boolean }) {
  const w = data.workorder;
  const allowed = new Set(data.allowed_actions ?? []);
  // each in a box of its own, as antd's Space put them: a case's panel, itself an inline Space, then sits
  // on a line of text, 8.5 px lower, as before
  return (
    <>
      {/* a case's files are its evidence, shown by step in the collaborative panel */}
      {w.type !== 'collab' && (
        <div>
          <FilesCard detail={data} canAttach={allowed.has('note')} run={run} />
        </div>
      )}
      {w.type === 'collab' && CollabPanel && (
        <div>
          <CollabPanel detail={data} run={run} />
        </div>
      )}
      {more && (
        <div>
          <OrderCard order={data.order} />
        </div>
      )}
      {more && w.buyer_nick && (
        <div>
          <BuyerHistoryCard id={w.id} version={w.version} />
        </div>
      )}
    </>
  );
}

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

/** The right column: the actions this user may take, the service targets, then (`timeline`) the timeline. */
export function WorkorderRestRight({
  data,
  busy,
  onAction,
  onEditNear,
  timeline,
}: {
  data: WoDetail;
  busy: boolean;
  onAction: (a: WorkorderAction) => void;
  /** the pointer or focus reached 编辑: its dialog's chunk starts loading */
  onEditNear: () => void;
  timeline: boolean;
}) {
  const { t } = useApp();
  const w = data.workorder;
  const allowed = new Set(data.allowed_actions ?? []);
  const buttons = BUTTON_ORDER.filter((a) => allowed.has(a)).map((a) => (
    <PlainButton
      key={a}
      variant={a === 'start' || a === 'complete' ? 'primary' : 'default'}
      danger={a === 'cancel'}
      onClick={() => onAction(a)}
      onMouseEnter={a === 'edit' ? onEditNear : undefined}
      onFocus={a === 'edit' ? onEditNear : undefined}
      loading={busy && a === 'start'}
      data-testid={`act-${a}`}
    >
      {t(`act.${a}`)}
    </PlainButton>
  ));
  // antd's vertical Space of 16, each card in a box of its own
  return (
    <div className="pstack">
      {buttons.length > 0 && (
        <div>
          <PlainCard title={t('wo.actions')}>
            <PlainSpace gap="8px" testid="wo-actions">
              {buttons}
            </PlainSpace>
          </PlainCard>
        </div>
      )}
      {w.type !== 'collab' && (
        <div>
          <TargetsCard id={w.id} version={w.version} />
        </div>
      )}
      {timeline && (
        <div>
          <PlainCard title={t('wo.timeline')}>
            <EventTimeline events={data.events} />
          </PlainCard>
        </div>
      )}
    </div>
  );
}
