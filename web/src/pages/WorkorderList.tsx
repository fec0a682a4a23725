import { Alert, Button, Card, Col, Dropdown, Form, Grid, Input, Row, Select, Space, Tooltip, Typography } from 'antd';
import { AppstoreOutlined, DownOutlined, ReloadOutlined, SearchOutlined, SwapOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, startTransition, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ComponentProps, type ReactNode } from 'react';
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
  defaultSort,
  filtersFromSearch,
  isOneOf,
  LEAD_VIEWS,
  LIST_PAGE,
  listQuery,
  searchFromFilters,
  SHOP_VIEWS,
  PLATFORM_SORTS,
  PLATFORM_VIEWS,
  SORTS,
  type Filters,
  type View,
} from '../lib/listParams';
import { useLatest } from '../lib/latest';
import { logFailure } from '../lib/logFailure';
import type { State, WorkOrder, WorkorderType } from '../lib/types';
import { useUsers } from '../lib/users';
import { BUILTIN_TYPES, filterableFields, typeName, useWorkorderTypes } from '../lib/workorderTypes';
import { toRfc3339 } from '../lib/format';

const PAGE = LIST_PAGE;
const STATES: State[] = [
  'open',
  'in_progress',
  'done',
  'cancelled',
  'awaiting_seller',
  'platform_verify',
  'intervention',
  'judged',
  'appeal_review',
  'resolved',
  'final',
  'waiting_buyer',
];

type Range = [Dayjs | null, Dayjs | null] | null;

// Wider screens show the table (its own chunk), phones the cards: the table's code starts loading
// with this page when the screen is as wide as antd's md breakpoint, which decides `narrow` below.
const loadGrid = () => import('../components/WorkorderGrid');
if (typeof window !== 'undefined' && window.matchMedia?.('(min-width: 768px)').matches) void loadGrid();
const WorkorderGrid = lazy(loadGrid);

const LazyRangePicker = lazy(() => import('../components/DateRangePicker'));
/** The date range filters: Form.Item hands this its value and onChange; the picker's chunk loads
 * when 更多筛选 first shows it (a disabled box of its size until then). */
function RangeField(props: ComponentProps<typeof LazyRangePicker>) {
  return (
    <Suspense fallback={<Input disabled style={props.style} />}>
      <LazyRangePicker {...props} />
    </Suspense>
  );
}
const toRange = (a?: string, b?: string): Range => (a || b ? [a ? dayjs(a) : null, b ? dayjs(b) : null] : null);

/** One filter of the list's form: its column (wide: a date range's) and its labelled field. */
function Filter({ name, label, wide, children }: { name: string; label: string; wide?: boolean; children: ReactNode }) {
  return (
    <Col xs={wide ? 24 : 12} md={wide ? 12 : 6} lg={wide ? 8 : 4}>
      <Form.Item name={name} label={label}>
        {children}
      </Form.Item>
    </Col>
  );
}

export function WorkorderTable({ view, platform }: { view: View; platform?: boolean }) {
  const { t, lang, user, onWorkorder, counts } = useApp();
  const [typeDefs] = useWorkorderTypes();
  const typeOptions = [...BUILTIN_TYPES, ...typeDefs.filter((d) => !d.builtin).map((d) => d.key)].map((x: WorkorderType) => ({
    value: x,
    label: typeName(t, lang, x, typeDefs),
  }));
  const fieldOptions = filterableFields(typeDefs).map((f) => ({
    value: f.key,
    label: `${typeName(t, lang, f.type, typeDefs)} · ${lang === 'en' ? f.label_en : f.label_zh}`,
  }));
  const [sp, setSp] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(sp), [sp]);
  const users = useUsers();
  const [items, setItems] = useState<WorkOrder[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkAction, setBulkAction] = useState<BulkAction | null>(null);
  const [bulkRun, setBulkRun] = useState<BulkRun | null>(null);
  const [form] = Form.useForm();
  const [more, setMore] = useState(() =>
    ['handler', 'creator', 'order_no', 'buyer', 'created_from', 'created_to', 'deadline_from', 'deadline_to'].some((k) => sp.has(k)),
  );
  const latest = useLatest();
  const lead = isLead(user);
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
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

  // Keep the form in step with the URL.
  useEffect(() => {
    form.setFieldsValue({
      type: filters.type,
      state: filters.state,
      handler: filters.handler,
      creator: filters.creator,
      order_no: filters.order_no,
      buyer: filters.buyer,
      q: filters.q,
      sort: filters.sort ?? defaultSort(view),
      shop_id: filters.shop_id,
      field_key: filters.field_key,
      field_value: filters.field_value,
      created: toRange(filters.created_from, filters.created_to),
      deadline: toRange(filters.deadline_from, filters.deadline_to),
    });
  }, [filters, form, view]);

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

  const apply = (v: Record<string, unknown>) => {
    const created = v.created as Range;
    const deadline = v.deadline as Range;
    const f: Filters = {
      type: v.type as string,
      state: v.state as string,
      handler: v.handler as string,
      creator: v.creator as string,
      order_no: v.order_no as string,
      buyer: v.buyer as string,
      q: v.q as string,
      sort: v.sort as string,
      shop_id: v.shop_id as string,
      field_key: v.field_key as string,
      field_value: v.field_key ? (v.field_value as string) : undefined,
      created_from: created?.[0] ? toRfc3339(created[0].startOf('day').toDate()) : undefined,
      created_to: created?.[1] ? toRfc3339(created[1].endOf('day').toDate()) : undefined,
      deadline_from: deadline?.[0] ? toRfc3339(deadline[0].startOf('day').toDate()) : undefined,
      deadline_to: deadline?.[1] ? toRfc3339(deadline[1].endOf('day').toDate()) : undefined,
    };
    setSp(searchFromFilters(f));
  };

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

  const sortOptions = (platform ? PLATFORM_SORTS : SORTS).map((s) => ({ value: s, label: t(`sort.${s}`) }));
  const userOptions = users.map((u) => ({ value: u.id, label: u.display_name }));

  return (
    <div>
      {!platform && <SavedViews view={view} />}
      <Card size="small" className="filters" style={{ marginBottom: 12 }}>
        <Form form={form} onFinish={apply} layout="vertical" aria-label={t('list.filters')}>
          <Row gutter={12}>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="q" label={t('list.keyword')}>
                <Input allowClear prefix={<SearchOutlined />} data-testid="filter-q" onPressEnter={() => form.submit()} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="type" label={t('col.type')}>
                <Select allowClear placeholder={t('list.all')} options={typeOptions} aria-label={t('col.type')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="state" label={t('col.state')}>
                <Select
                  allowClear
                  placeholder={t('list.all')}
                  options={STATES.map((x) => ({ value: x, label: t(`state.${x}`) }))}
                  aria-label={t('col.state')}
                />
              </Form.Item>
            </Col>
            {fieldOptions.length > 0 && (
              <>
                <Col xs={12} md={6} lg={4}>
                  <Form.Item name="field_key" label={t('types.filterField')}>
                    <Select
                      allowClear
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('list.all')}
                      options={fieldOptions}
                      aria-label={t('types.filterField')}
                      data-testid="filter-field"
                    />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6} lg={4}>
                  <Form.Item name="field_value" label={t('types.filterValue')}>
                    <Input allowClear aria-label={t('types.filterValue')} data-testid="filter-field-value" onPressEnter={() => form.submit()} />
                  </Form.Item>
                </Col>
              </>
            )}
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="sort" label={t('list.sort')}>
                <Select options={sortOptions} aria-label={t('list.sort')} data-testid="sort" />
              </Form.Item>
            </Col>
            {platform && (
              <Col xs={12} md={6} lg={4}>
                <Form.Item name="shop_id" label={t('col.shop')}>
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder={t('list.allShops')}
                    aria-label={t('col.shop')}
                    data-testid="filter-shop"
                    options={[...shops].map(([id, name]) => ({ value: id, label: name }))}
                  />
                </Form.Item>
              </Col>
            )}
            {more &&
              !platform &&
              (['handler', 'creator'] as const).map((k) => (
                <Filter key={k} name={k} label={t(`col.${k}`)}>
                  <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('list.all')} options={userOptions} aria-label={t(`col.${k}`)} />
                </Filter>
              ))}
            {more && (
              <>
                <Filter name="order_no" label={t('col.order')}>
                  <Input allowClear />
                </Filter>
                <Filter name="buyer" label={t('col.buyer')}>
                  <Input allowClear />
                </Filter>
                <Filter name="created" label={t('list.createdRange')} wide>
                  <RangeField allowEmpty={[true, true]} style={{ width: '100%' }} />
                </Filter>
                <Filter name="deadline" label={t('list.deadlineRange')} wide>
                  <RangeField allowEmpty={[true, true]} style={{ width: '100%' }} />
                </Filter>
              </>
            )}
            <Col xs={24} md={12} lg={more ? 8 : 24} style={{ display: 'flex', alignItems: 'flex-end', justifyContent: more ? 'flex-start' : 'flex-end' }}>
              <Form.Item>
                <Space wrap>
                  <Button type="link" onClick={() => setMore(!more)} aria-expanded={more} data-testid="more-filters">
                    {more ? t('list.lessFilters') : t('list.moreFilters')}
                  </Button>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="filter-apply">
                    {t('list.search')}
                  </Button>
                  <Button
                    onClick={() => {
                      form.resetFields();
                      setSp(new URLSearchParams());
                    }}
                  >
                    {t('list.reset')}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {error != null && <Alert type="error" showIcon title={<ErrorMessage error={error} lang={lang} />} style={{ marginBottom: 12 }} role="alert" />}
      <Card size="small">
        <Space style={{ marginBottom: 8, justifyContent: 'space-between', width: '100%' }} wrap>
          <Space>
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
