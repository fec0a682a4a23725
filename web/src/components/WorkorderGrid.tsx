import { Button, Dropdown, Table, Tooltip, type TableProps } from 'antd';
import { AppstoreOutlined, DownOutlined, SwapOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import TableMeasureRowContext from 'antd/es/table/TableMeasureRowContext';
import { useContext, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useApp } from '../lib/app';
import { BULK_ACTIONS, type BulkAction } from '../lib/bulk';
import type { State, WorkOrder, WorkorderType, WorkorderTypeDef } from '../lib/types';
import { Countdown, FINISHED_STATES, PriorityTag, StateTag, TypeName } from './bits';

/**
 * A list of work orders as antd's table, on screens from 768 px (a phone shows cards instead), and the
 * lead's bulk buttons above it. Its own chunk: antd's Table is the largest part of the list's code, and
 * a phone never shows it (WorkorderList loads it with the page when the screen is wide enough).
 */
export default function WorkorderGrid({
  rowSelection,
  platform,
  shopName,
  typeDefs,
  ...props
}: Omit<TableProps<WorkOrder>, 'columns'> & { platform?: boolean; shopName: (w: WorkOrder) => string; typeDefs: WorkorderTypeDef[] }) {
  const { t } = useApp();
  const columns: ColumnsType<WorkOrder> = [
    {
      title: t('col.number'),
      dataIndex: 'number',
      width: 120,
      fixed: 'left',
      render: (n: string, w) => (
        <Link to={`/wo/${w.id}`} data-testid="wo-link">
          {n}
        </Link>
      ),
    },
    ...(platform
      ? [
          {
            title: t('col.shop'),
            dataIndex: 'shop_id',
            width: 140,
            ellipsis: true,
            render: (_: string, w: WorkOrder) => (
              <span data-testid="wo-shop" title={w.shop_id}>
                {shopName(w)}
              </span>
            ),
          },
        ]
      : []),
    { title: t('col.type'), dataIndex: 'type', width: 110, render: (ty: WorkorderType) => <TypeName type={ty} defs={typeDefs} /> },
    {
      title: t('col.title'),
      dataIndex: 'title',
      ellipsis: { showTitle: false },
      render: (s: string, w) => (
        <Tooltip title={s} placement="topLeft">
          <Link to={`/wo/${w.id}`} tabIndex={-1}>
            {s}
          </Link>{' '}
          {w.priority === 'high' || w.priority === 'urgent' ? <PriorityTag p={w.priority} /> : null}
        </Tooltip>
      ),
    },
    { title: t('col.order'), dataIndex: 'order_no', width: 150, render: (s: string | null) => s ?? '—' },
    { title: t('col.buyer'), dataIndex: 'buyer_nick', width: 120, ellipsis: true, render: (s: string | null) => s ?? '—' },
    { title: t('col.handler'), dataIndex: 'handler', width: 110, render: (h: WorkOrder['handler']) => h?.display_name ?? '—' },
    { title: t('col.state'), dataIndex: 'state', width: 100, render: (s: State) => <StateTag state={s} /> },
    {
      title: t('col.deadline'),
      dataIndex: 'deadline',
      width: 140,
      render: (d: string | null, w) => <Countdown deadline={d} overdue={w.overdue} done={FINISHED_STATES.has(w.state)} />,
    },
  ];
  return (
    <Table<WorkOrder>
      {...props}
      columns={columns}
      rowSelection={rowSelection && { ...rowSelection, columnTitle: (all: ReactNode) => <OutsideMeasureRow>{all}</OutsideMeasureRow> }}
    />
  );
}

/** A lead's bulk buttons over the table: 批量转派 and the menu of the other bulk actions. */
export function BulkButtons({ disabled, onPick }: { disabled: boolean; onPick: (a: BulkAction) => void }) {
  const { t } = useApp();
  return (
    <>
      <Button icon={<SwapOutlined />} disabled={disabled} onClick={() => onPick('transfer')} data-testid="bulk-transfer">
        {t('list.bulkTransfer')}
      </Button>
      <Dropdown
        disabled={disabled}
        menu={{
          items: BULK_ACTIONS.map((a) => ({ key: a, label: <span data-testid={`bulk-${a}`}>{t(`act.${a}`)}</span> })),
          onClick: (e) => onPick(e.key as BulkAction),
        }}
      >
        <Button icon={<AppstoreOutlined />} data-testid="bulk-menu">
          {t('bulk.menu')} <DownOutlined />
        </Button>
      </Dropdown>
    </>
  );
}

/** The "select all" checkbox in the header. antd's table copies each column title into a hidden
 * (aria-hidden) row that measures the columns; a checkbox there is a focusable element hidden
 * from screen readers (axe's aria-hidden-focus, Lighthouse's accessibility score), so inside
 * that row the title is only an empty box of the checkbox's width. */
function OutsideMeasureRow({ children }: { children: ReactNode }) {
  return useContext(TableMeasureRowContext) ? <span style={{ display: 'inline-block', width: 16 }} /> : <>{children}</>;
}
