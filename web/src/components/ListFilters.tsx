import { Button, Card, Col, Form, Input, Row, Select, Space } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useEffect, useState, type ComponentProps, type ReactNode } from 'react';
import { useApp } from '../lib/app';
import { toRfc3339 } from '../lib/format';
import { defaultSort, PLATFORM_SORTS, SORTS, type Filters, type View } from '../lib/listParams';
import type { State, WorkorderType } from '../lib/types';
import { useUsers } from '../lib/users';
import { BUILTIN_TYPES, filterableFields, typeName, useWorkorderTypes } from '../lib/workorderTypes';

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

/** The filters that show only with 更多筛选 (it opens by itself when the address names one of them). */
export const MORE_FILTERS = ['handler', 'creator', 'order_no', 'buyer', 'created_from', 'created_to', 'deadline_from', 'deadline_to'];

type Range = [Dayjs | null, Dayjs | null] | null;

const LazyRangePicker = lazy(() => import('./DateRangePicker'));
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

/**
 * The list's filter form (antd's Form, Selects, date pickers), a chunk of its own: a wide screen loads it
 * with the list, a phone when 筛选 is first pressed (issue 13: it was most of the list's first render on
 * a phone). The form follows the address; 搜索 and 重置 write the address.
 */
export default function ListFilters({
  view,
  platform,
  filters,
  shops,
  sp,
  onApply,
}: {
  view: View;
  platform?: boolean;
  filters: Filters;
  shops: Map<string, string>;
  sp: URLSearchParams;
  onApply: (f: Filters | null) => void;
}) {
  const { t, lang } = useApp();
  const [typeDefs] = useWorkorderTypes();
  const users = useUsers();
  const [form] = Form.useForm();
  const [more, setMore] = useState(() => MORE_FILTERS.some((k) => sp.has(k)));
  const typeOptions = [...BUILTIN_TYPES, ...typeDefs.filter((d) => !d.builtin).map((d) => d.key)].map((x: WorkorderType) => ({
    value: x,
    label: typeName(t, lang, x, typeDefs),
  }));
  const fieldOptions = filterableFields(typeDefs).map((f) => ({
    value: f.key,
    label: `${typeName(t, lang, f.type, typeDefs)} · ${lang === 'en' ? f.label_en : f.label_zh}`,
  }));

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

  const apply = (v: Record<string, unknown>) => {
    const created = v.created as Range;
    const deadline = v.deadline as Range;
    onApply({
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
    });
  };

  const sortOptions = (platform ? PLATFORM_SORTS : SORTS).map((s) => ({ value: s, label: t(`sort.${s}`) }));
  const userOptions = users.map((u) => ({ value: u.id, label: u.display_name }));

  return (
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
              <Select allowClear placeholder={t('list.all')} options={STATES.map((x) => ({ value: x, label: t(`state.${x}`) }))} aria-label={t('col.state')} />
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
                    onApply(null);
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
  );
}
