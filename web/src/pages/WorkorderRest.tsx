import { App, Button, Card, Descriptions, Empty, Space } from 'antd';
import { useEffect, useState } from 'react';
import AttachmentList from '../components/Attachments';
import BuyerHistoryCard from '../components/BuyerHistory';
import EventTimeline from '../components/EventTimeline';
import OrderItems from '../components/OrderItems';
import PlainCard from '../components/PlainCard';
import TargetsCard from '../components/TargetsCard';
import { post } from '../lib/api';
import { useApp } from '../lib/app';
import { formatFen, formatTime } from '../lib/format';
import type { Order, WoDetail, WorkorderAction } from '../lib/types';
import { useWide } from '../lib/wide';
import EvidenceUpload from './collab/EvidenceUpload';

// What a work order page draws after its first screen (WorkorderDetail draws the title and the fields
// without antd, then this chunk below and beside them once they are painted): antd's cards, the
// actions, and the message and modal holders the actions report through.

export type Run = (fn: (version: number) => Promise<unknown>) => Promise<boolean>;
export type Notices = Pick<ReturnType<typeof App.useApp>, 'message' | 'modal'>;

/** Hands WorkorderDetail antd's message and modal (its actions' reports), which it holds no antd to make. */
export function NoticeHolder({ into }: { into: { current: Notices | null } }) {
  const { message, modal } = App.useApp();
  useEffect(() => {
    into.current = { message, modal };
  }, [into, message, modal]);
  return null;
}

export function OrderCard({ order }: { order: Order | null }) {
  const { t } = useApp();
  // on a phone the SKU column gives way, so the price stays on screen without scrolling sideways
  const narrow = !useWide(); // (antd's sm is 576 px: a phone in either case)
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

// A case's panel, loaded before a case's page is first drawn (WorkorderDetail's load), and then drawn with
// the rest: as a lazy component it popped in after the page, under the fields, and moved every card below
// it (issue 13, Lighthouse's layout shift on a phone). Its forms show the platform rules, read with it.
let CollabPanel: typeof import('./collab/CollabPanel').default | null = null;
export const loadCollabPanel = async () => {
  CollabPanel ??= (await import('./collab/CollabPanel')).default;
};

/** The left column's cards under the fields: the files (or a case's panel), the order, the buyer's history. */
export default function WorkorderRestLeft({ data, run }: { data: WoDetail; run: Run }) {
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
      <div>
        <OrderCard order={data.order} />
      </div>
      {w.buyer_nick && (
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

/** The right column: the actions this user may take, the service targets, the timeline. */
export function WorkorderRestRight({
  data,
  busy,
  onAction,
  onEditNear,
}: {
  data: WoDetail;
  busy: boolean;
  onAction: (a: WorkorderAction) => void;
  /** the pointer or focus reached 编辑: its dialog's chunk starts loading */
  onEditNear: () => void;
}) {
  const { t } = useApp();
  const w = data.workorder;
  const allowed = new Set(data.allowed_actions ?? []);
  const buttons = BUTTON_ORDER.filter((a) => allowed.has(a)).map((a) => (
    <Button
      key={a}
      type={a === 'start' || a === 'complete' ? 'primary' : 'default'}
      danger={a === 'cancel'}
      onClick={() => onAction(a)}
      onMouseEnter={a === 'edit' ? onEditNear : undefined}
      onFocus={a === 'edit' ? onEditNear : undefined}
      loading={busy && a === 'start'}
      data-testid={`act-${a}`}
    >
      {t(`act.${a}`)}
    </Button>
  ));
  return (
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
  );
}
