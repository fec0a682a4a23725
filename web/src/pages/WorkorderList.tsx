import { Alert, Button, Card, Dropdown, Grid, Space, Tooltip, Typography } from 'antd';
import { AppstoreOutlined, DownOutlined, FilterOutlined, ReloadOutlined, SwapOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { lazy, startTransition, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';
import ActionDialog, { type DialogValues } from '../components/ActionDialog';
import BulkProgress, { type BulkRun } from '../components/BulkProgress';
import SavedViews from '../components/SavedViews';
import WorkorderCards from '../components/WorkorderCards';
import { Countdown, FINISHED_STATES, PriorityTag, StateTag, TypeName } from '../components/bits';
import { ApiError, get } from '../lib/api';
import { BULK_ACTIONS, BULK_MAX, type BulkAction } from '../lib/bulk';
import ErrorMessage from '../components/ErrorMessage';
import PageSpin from '../components/PageSpin';
import { isLead, isPlatform, useApp } from '../lib/app';
import {
  filtersFromSearch,
  isOneOf,
  LEAD_VIEWS,
  LIST_PAGE,
  listQuery,
  searchFromFilters,
  SHOP_VIEWS,
  PLATFORM_VIEWS,
  type Filters,
  type View,
} from '../lib/listParams';
import { useLatest } from '../lib/latest';
import { logFailure } from '../lib/logFailure';
import type { State, WorkOrder, WorkorderType } from '../lib/types';
import { useWorkorderTypes } from '../lib/workorderTypes';

const PAGE = LIST_PAGE;
// Wider screens show the table (its own chunk), phones the cards: the table's code starts loading
// with this page when the screen is as wide as antd's md breakpoint, which decides `narrow` below.
const loadGrid = () => import('../components/WorkorderGrid');
if (typeof window !== 'undefined' && window.matchMedia?.('(min-width: 768px)').matches) void loadGrid();
const WorkorderGrid = lazy(loadGrid);

// The filter form (components/ListFilters.tsx, antd's Form and Selects) is a chunk of its own: a wide
// screen loads it with this page (the list's route waits for it, so it is drawn with the page), a phone
// when 筛选 is first pressed or the address names a filter. Kept here once loaded: drawn without Suspense.
const wide = () => typeof window !== 'undefined' && !!window.matchMedia?.('(min-width: 768px)').matches;
let ListFilters: typeof import('../components/ListFilters').default | null = null;
const loadFilters = async () => {
  ListFilters ??= (await import('../components/ListFilters')).default;
};
/** What the list needs before it is first drawn: the filter form on a wide screen. */
export const listReady = () => (wide() ? loadFilters() : Promise.resolve());

/** The filter form once its chunk is there (asked for when `wanted`). */
function useListFilters(wanted: boolean) {
  const [form, setForm] = useState(() => ListFilters);
  useEffect(() => {
    if (wanted && !form) void loadFilters().then(() => setForm(() => ListFilters));
  }, [wanted, form]);
  return form;
}

export function WorkorderTable({ view, platform }: { view: View; platform?: boolean }) {
  const { t, lang, user, onWorkorder, counts } = useApp();
  const [typeDefs] = useWorkorderTypes();
  const [sp, setSp] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(sp), [sp]);
  const [items, setItems] = useState<WorkOrder[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkAction, setBulkAction] = useState<BulkAction | null>(null);
  const [bulkRun, setBulkRun] = useState<BulkRun | null>(null);
  const latest = useLatest();
  const lead = isLead(user);
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  // a phone shows the filter form when 筛选 is pressed, or at once when the address names a filter
  const active = new Set(sp.keys()).size;
  const [filtersOpen, setFiltersOpen] = useState(active > 0);
  const FilterForm = useListFilters(!narrow || filtersOpen);
  // numbers are per shop: the platform sees each case's shop (GET /shops names them all)
  const [shops, setShops] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!platform) return;
    get('/shops')
      .then((r) => setShops(new Map(r.items.map((s) => [s.id, s.name]))))
      .catch((e) => logFailure("the shops' names (the list shows their ids)", e));
  }, [platform]);
  const shopName = (w: WorkOrder) => (w.shop_id ? (shops.get(w.shop_id) ?? w.shop_id) : '—');

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      await latest(get('/workorders', { query: listQuery(view, filters, PAGE, after) })).then(
        // a transition: React draws the 50 rows in slices, between which the page stays responsive
        // (no long task on a slow phone); the spinner stays until the rows are there
        (r) =>
          startTransition(() => {
            setItems((prev) => (after ? [...prev, ...r.items] : r.items));
            setCursor(r.next_cursor ?? null);
            setLoading(false);
          }),
        (e) => {
          setError(e);
          if (!after) setItems([]);
          setCursor(null);
          setLoading(false);
        },
      );
    },
    [view, filters, latest],
  );

  useEffect(() => {
    setSelected([]);
    load(null);
  }, [load]);

  // Live: a changed work order in view is refetched in place.
  const idsRef = useRef(new Set<string>());
  idsRef.current = new Set(items.map((w) => w.id));
  useEffect(
    () =>
      onWorkorder(({ id }) => {
        if (!idsRef.current.has(id)) return;
        get('/workorders/{id}', { params: { id } })
          .then((r) => setItems((prev) => prev.map((w) => (w.id === id ? r.workorder : w))))
          .catch((e) => {
            if (e instanceof ApiError && (e.status === 404 || e.status === 403)) setItems((prev) => prev.filter((w) => w.id !== id));
          });
      }),
    [onWorkorder],
  );
  // When the view's count changes and we have only the first page, reload it (new rows appear). The
  // count becoming known (the first counts of a visit, which arrive while the list loads) is no change:
  // reloading then asked for and drew the same 50 rows twice on every first load.
  const countsByView: Partial<Record<string, number | null>> | null = counts;
  const countForView = countsByView ? countsByView[view] : undefined;
  const firstCount = useRef(countForView);
  useEffect(() => {
    if (countForView === firstCount.current) return;
    const known = firstCount.current !== undefined && firstCount.current !== null;
    firstCount.current = countForView;
    if (known && (!cursor || items.length <= PAGE)) load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [countForView]);

  const apply = (f: Filters | null) => setSp(f ? searchFromFilters(f) : new URLSearchParams());

  // Bulk work goes through POST /workorders/bulk in chunks (BulkProgress): each work order as it is at
  // that moment, each done whole or not at all, and the failures named by number with the reason.
  const startBulk = (v: DialogValues) => {
    if (!bulkAction) return;
    const numbers = Object.fromEntries(items.filter((w) => selected.includes(w.id)).map((w) => [w.id, w.number]));
    setBulkRun({ action: bulkAction, ids: selected, fields: { to: v.to, reason: v.reason, text: v.text }, numbers });
    setBulkAction(null);
  };
  const endBulk = () => {
    setBulkRun(null);
    setSelected([]);
    load(null);
  };
  const tooMany = selected.length > BULK_MAX;

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
    <div>
      {!platform && <SavedViews view={view} />}
      {FilterForm && (!narrow || filtersOpen) && <FilterForm view={view} platform={platform} filters={filters} shops={shops} sp={sp} onApply={apply} />}
      {error != null && <Alert type="error" showIcon title={<ErrorMessage error={error} lang={lang} />} style={{ marginBottom: 12 }} role="alert" />}
      <Card size="small">
        <Space style={{ marginBottom: 8, justifyContent: 'space-between', width: '100%' }} wrap>
          <Space>
            {narrow && (
              <Button
                icon={<FilterOutlined />}
                type={active > 0 ? 'primary' : 'default'}
                ghost={active > 0}
                onClick={() => setFiltersOpen(!filtersOpen)}
                aria-expanded={filtersOpen}
                data-testid="filters-toggle"
              >
                {active > 0 ? t('list.filtersOn', { n: active }) : t('list.filters')}
              </Button>
            )}
            {lead && !platform && !narrow && (
              <>
                <Button
                  icon={<SwapOutlined />}
                  disabled={selected.length === 0 || tooMany}
                  onClick={() => setBulkAction('transfer')}
                  data-testid="bulk-transfer"
                >
                  {t('list.bulkTransfer')}
                </Button>
                <Dropdown
                  disabled={selected.length === 0 || tooMany}
                  menu={{
                    items: BULK_ACTIONS.map((a) => ({ key: a, label: <span data-testid={`bulk-${a}`}>{t(`act.${a}`)}</span> })),
                    onClick: (e) => setBulkAction(e.key as BulkAction),
                  }}
                >
                  <Button icon={<AppstoreOutlined />} data-testid="bulk-menu">
                    {t('bulk.menu')} <DownOutlined />
                  </Button>
                </Dropdown>
              </>
            )}
            {selected.length > 0 && (
              <Typography.Text type={tooMany ? 'danger' : 'secondary'} data-testid="selected-count">
                {tooMany ? t('bulk.tooMany', { n: selected.length, max: BULK_MAX }) : t('list.selected', { n: selected.length })}
              </Typography.Text>
            )}
          </Space>
          <Button icon={<ReloadOutlined />} onClick={() => load(null)} aria-label={t('common.refresh')}>
            {t('common.refresh')}
          </Button>
        </Space>
        {narrow ? (
          <WorkorderCards items={items} loading={loading} defs={typeDefs} label={(w) => (platform ? `${shopName(w)} · ${w.number}` : w.number)} />
        ) : (
          <Suspense fallback={<PageSpin />}>
            <WorkorderGrid
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={items}
              loading={loading && items.length === 0}
              pagination={false}
              scroll={{ x: 960 }}
              locale={{ emptyText: t('list.empty') }}
              data-testid="wo-table"
              rowSelection={
                lead && !platform
                  ? {
                      getTitleCheckboxProps: () => ({ 'aria-label': t('list.selectPage') }),
                      selectedRowKeys: selected,
                      onChange: (keys) => setSelected(keys as string[]),
                      getCheckboxProps: (w) => ({ disabled: FINISHED_STATES.has(w.state), 'aria-label': w.number }),
                    }
                  : undefined
              }
            />
          </Suspense>
        )}
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          {cursor ? (
            <Button onClick={() => load(cursor)} loading={loading} data-testid="load-more">
              {t('list.loadMore')}
            </Button>
          ) : (
            items.length > 0 && <Typography.Text type="secondary">{t('list.noMore')}</Typography.Text>
          )}
        </div>
      </Card>
      {/* mounted when a bulk action is chosen, as on the work order page: the list's first render draws
          no hidden dialog (with its handler picker and quick replies, and their requests) */}
      {bulkAction && (
        <ActionDialog
          kind={bulkAction}
          open
          title={
            bulkAction === 'transfer' ? `${t('list.bulkTransfer')}（${selected.length}）` : `${t('bulk.menu')}：${t(`act.${bulkAction}`)}（${selected.length}）`
          }
          onOk={startBulk}
          onClose={() => setBulkAction(null)}
        />
      )}
      <BulkProgress run={bulkRun} onClose={endBulk} />
    </div>
  );
}

export default function WorkorderList() {
  const { view = 'todo' } = useParams();
  const { t, user } = useApp();
  if (isPlatform(user) && !isOneOf(PLATFORM_VIEWS, view)) return <Navigate to="/platform/intervention" replace />;
  if (!isOneOf(SHOP_VIEWS, view) || (LEAD_VIEWS.includes(view) && !isLead(user))) return <Navigate to="/list/todo" replace />;
  return (
    <div>
      <h1 className="page-title">{t(`view.${view}`)}</h1>
      <WorkorderTable key={view} view={view} />
    </div>
  );
}
