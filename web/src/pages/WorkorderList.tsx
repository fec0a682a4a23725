import FilterOutlined from '@ant-design/icons-svg/es/asn/FilterOutlined';
import ReloadOutlined from '@ant-design/icons-svg/es/asn/ReloadOutlined';
import { lazy, startTransition, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Navigate, useParams, useSearchParams } from 'react-router';
import type { DialogValues } from '../components/ActionDialog';
import type { BulkRun } from '../components/BulkProgress';
import PlainButton from '../components/PlainButton';
import PlainSpin from '../components/PlainSpin';
import SavedViews from '../components/SavedViews';
import WorkorderCards from '../components/WorkorderCards';
import { FINISHED_STATES } from '../components/bits';
import { ApiError, get } from '../lib/api';
import { AntdZone } from '../lib/antdZone';
import { BULK_MAX, type BulkAction } from '../lib/bulk';
import { chunk } from '../lib/chunk';
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
import type { WorkOrder } from '../lib/types';
import { isWide, useSettledWide } from '../lib/wide';
import { useWorkorderTypes } from '../lib/workorderTypes';

const PAGE = LIST_PAGE;
// This module holds no antd: a phone draws the list's first screen (the title, the saved filters, the
// toolbar, the cards) from plain elements before antd has loaded (docs/decisions.md, "A phone's first
// screen evaluates no antd"). What antd draws is in chunks of its own: the table and the lead's bulk
// buttons (WorkorderGrid) and the filter form (ListFilters), which a wide screen loads with this page
// (the list's route waits for them, listReady, so they are drawn with it) and a phone when 筛选 is first
// pressed or the address names a filter; the dialogs, the bulk progress and an error's box when needed.
const grid = chunk(() => import('../components/WorkorderGrid'));
const filterForm = chunk(() => import('../components/ListFilters'));
const ActionDialog = lazy(() => import('../components/ActionDialog'));
const BulkProgress = lazy(() => import('../components/BulkProgress'));
const LoadError = lazy(() => import('../components/LoadError'));

/** What the list needs before it is first drawn: on a wide screen, the table and the filter form. */
export const listReady = () => (isWide() ? Promise.all([grid.load(), filterForm.load()]).then(() => undefined) : Promise.resolve());

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
  const narrow = !useSettledWide();
  // a phone shows the filter form when 筛选 is pressed, or at once when the address names a filter
  const active = new Set(sp.keys()).size;
  const [filtersOpen, setFiltersOpen] = useState(active > 0);
  const FilterForm = filterForm.use(!narrow || filtersOpen)?.default;
  const Grid = grid.use(!narrow);
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

  const { BulkButtons, default: WorkorderGrid } = Grid ?? {};
  return (
    <div>
      {!platform && <SavedViews view={view} />}
      {FilterForm && (!narrow || filtersOpen) && (
        <AntdZone>
          <FilterForm view={view} platform={platform} filters={filters} shops={shops} sp={sp} onApply={apply} />
        </AntdZone>
      )}
      {error != null && (
        <AntdZone>
          <Suspense fallback={null}>
            <LoadError error={error} lang={lang} />
          </Suspense>
        </AntdZone>
      )}
      {/* antd's small Card and two Spaces, as plain elements in their look (styles.css) */}
      <div className="plain-card">
        <div className="plain-card-body">
          <div className="pspace pspace-wrap list-toolbar">
            <div className="pspace">
              {narrow && (
                <PlainButton
                  icon={FilterOutlined}
                  variant={active > 0 ? 'ghost' : 'default'}
                  onClick={() => setFiltersOpen(!filtersOpen)}
                  aria-expanded={filtersOpen}
                  data-testid="filters-toggle"
                >
                  {active > 0 ? t('list.filtersOn', { n: active }) : t('list.filters')}
                </PlainButton>
              )}
              {lead && !platform && !narrow && BulkButtons && <BulkButtons disabled={selected.length === 0 || tooMany} onPick={setBulkAction} />}
              {selected.length > 0 && (
                <span className={tooMany ? 'ptext-danger' : 'ptext-secondary'} data-testid="selected-count">
                  {tooMany ? t('bulk.tooMany', { n: selected.length, max: BULK_MAX }) : t('list.selected', { n: selected.length })}
                </span>
              )}
            </div>
            <PlainButton icon={ReloadOutlined} onClick={() => load(null)} aria-label={t('common.refresh')}>
              {t('common.refresh')}
            </PlainButton>
          </div>
          {narrow ? (
            <WorkorderCards items={items} loading={loading} defs={typeDefs} label={(w) => (platform ? `${shopName(w)} · ${w.number}` : w.number)} />
          ) : WorkorderGrid ? (
            <WorkorderGrid
              rowKey="id"
              size="middle"
              platform={platform}
              shopName={shopName}
              typeDefs={typeDefs}
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
          ) : (
            <PlainSpin />
          )}
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            {cursor ? (
              <PlainButton onClick={() => load(cursor)} loading={loading} data-testid="load-more">
                {t('list.loadMore')}
              </PlainButton>
            ) : (
              items.length > 0 && <span className="ptext-secondary">{t('list.noMore')}</span>
            )}
          </div>
        </div>
      </div>
      {/* mounted when a bulk action is chosen, as on the work order page: the list's first render draws
          no hidden dialog (with its handler picker and quick replies, and their requests) */}
      {(bulkAction || bulkRun) && (
        <AntdZone>
          <Suspense fallback={null}>
            {bulkAction && (
              <ActionDialog
                kind={bulkAction}
                open
                title={
                  bulkAction === 'transfer'
                    ? `${t('list.bulkTransfer')}（${selected.length}）`
                    : `${t('bulk.menu')}：${t(`act.${bulkAction}`)}（${selected.length}）`
                }
                onOk={startBulk}
                onClose={() => setBulkAction(null)}
              />
            )}
            <BulkProgress run={bulkRun} onClose={endBulk} />
          </Suspense>
        </AntdZone>
      )}
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
