import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Space, Spin, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, get, post, uuid } from '../lib/api';
import { logFailure } from '../lib/logFailure';
import { describeError } from '../lib/errors';
import ErrorMessage from '../components/ErrorMessage';
import { isPlatform, useApp } from '../lib/app';
import { DEADLINE_PRESET_HOURS, formatFen, presetDeadline, toRfc3339 } from '../lib/format';
import {
  PRIORITIES,
  type CollabInput,
  type Order,
  type Priority,
  type Remedy,
  type ShopTypeField,
  type WorkOrderInput,
  type WorkorderType,
} from '../lib/types';
import { activeShopTypes, CREATABLE_BUILTIN, fieldsForApi, formFields, isBuiltinType, typeName, useWorkorderTypes } from '../lib/workorderTypes';
import type { ShopUser } from '../lib/users';
import { useUsers } from '../lib/users';
import { OrderCard } from './WorkorderRest';
import EvidenceUpload from './collab/EvidenceUpload';

interface FormValues {
  type: WorkorderType;
  title: string;
  content: string;
  handler_id?: string;
  priority: Priority;
  deadline: Dayjs | null;
  category?: string;
  complaint?: string;
  remedy?: Remedy;
  /** custom field values by key (a shop type's, docs/types.md) */
  f?: Record<string, unknown>;
}

export default function CreateWorkorder() {
  const { t, user, lang, refreshCounts } = useApp();
  const { message } = App.useApp();
  const nav = useNavigate();
  const [sp] = useSearchParams();
  const users = useUsers();
  const platform = isPlatform(user);
  const [typeDefs] = useWorkorderTypes();
  const types: WorkorderType[] = platform ? ['collab'] : [...CREATABLE_BUILTIN, ...activeShopTypes(typeDefs).map((d) => d.key)];
  const [form] = Form.useForm<FormValues>();
  const [mode, setMode] = useState<'order' | 'standalone'>(sp.get('standalone') ? 'standalone' : 'order');
  const [order, setOrder] = useState<Order | null>(null);
  const [options, setOptions] = useState<Order[]>([]);
  const [searching, setSearching] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [files, setFiles] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const idemKey = useRef(uuid());
  const titleTouched = useRef(false);
  const deadlineTouched = useRef(false);
  const type = Form.useWatch('type', form) ?? types[0];
  const searchTimer = useRef<number | undefined>(undefined);
  const fields = useMemo(() => formFields(typeDefs, type), [typeDefs, type]);
  const shopType = typeDefs.find((d) => !d.builtin && d.key === type);
  const presetHours = shopType ? shopType.default_deadline_hours || null : DEADLINE_PRESET_HOURS[type];

  const search = (q: string) => {
    window.clearTimeout(searchTimer.current);
    searchTimer.current = window.setTimeout(async () => {
      setSearching(true);
      try {
        const r = await get('/orders', { query: { q: q.trim(), limit: 20 } });
        setOptions(r.items ?? []);
      } catch {
        setOptions([]);
      } finally {
        setSearching(false);
      }
    }, 250);
  };

  useEffect(() => {
    search('');
    const no = sp.get('order_no');
    if (no)
      get('/orders/{order_no}', { params: { order_no: no } })
        .then(setOrder)
        .catch((e) => logFailure(`the order ${no} of the address (pick it in the search instead)`, e));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Preset title and deadline follow the type (and the order) until the user edits them.
  useEffect(() => {
    if (!titleTouched.current) {
      const base = typeName(t, lang, type, typeDefs);
      form.setFieldValue('title', order ? `${base} · ${order.order_no}（${order.buyer_nick}）` : '');
    }
    if (!deadlineTouched.current) {
      const d = shopType ? (presetHours ? new Date(Date.now() + presetHours * 3600_000) : null) : presetDeadline(type, Date.now());
      form.setFieldValue('deadline', d ? dayjs(d) : null);
    }
  }, [type, order, form, t, lang, typeDefs, shopType, presetHours]);

  const presetText = useMemo(() => {
    const h = presetHours;
    if (h === null || h === undefined) return t('create.noDeadline');
    return lang === 'zh' ? `${h} 小时` : `${h} h`;
  }, [presetHours, t, lang]);

  const submit = async (v: FormValues) => {
    setErr(null);
    if (mode === 'order' && !order) {
      setErr(t('create.pickOrder'));
      return;
    }
    // a work order's input, with the case's own fields when it is a collaborative one
    const body: WorkOrderInput & Pick<CollabInput, 'collab'> = {
      type: v.type,
      title: v.title.trim(),
      content: v.content ?? '',
      priority: v.priority,
    };
    if (v.handler_id) body.handler_id = v.handler_id;
    if (v.deadline) body.deadline = toRfc3339(v.deadline.toDate());
    if (mode === 'order' && order) body.order_no = order.order_no;
    if (v.type === 'collab') body.collab = { category: v.category, complaint: v.complaint, remedy: v.remedy };
    if (files.length) body.attachment_ids = files;
    if (!isBuiltinType(v.type)) {
      const raw = { ...(v.f ?? {}) };
      for (const f of fields) if (f.kind === 'date' && raw[f.key]) raw[f.key] = (raw[f.key] as Dayjs).format('YYYY-MM-DD');
      body.fields = fieldsForApi(fields, raw);
    }
    setBusy(true);
    try {
      const wo = await post('/workorders', { body, idempotencyKey: idemKey.current });
      idemKey.current = uuid();
      message.success(t('create.created', { n: wo.number }));
      refreshCounts();
      nav(`/wo/${wo.id}`);
    } catch (e) {
      setErr(e);
      if (e instanceof ApiError && e.field?.startsWith('fields.'))
        form.setFields([{ name: ['f', e.field.slice(7)], errors: [describeError(e, lang).message] }]);
      else if (e instanceof ApiError && e.field) form.setFields([{ name: e.field as keyof FormValues, errors: [describeError(e, lang).message] }]);
    } finally {
      setBusy(false);
    }
  };

  // Platform staff open collaborative cases on their own page (POST /api/v1/collab, with the shop).
  if (platform) return <Navigate to="/collab/new" replace />;

  return (
    <div>
      <h1 className="page-title">{t('create.title')}</h1>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small">
            <Form<FormValues>
              form={form}
              layout="vertical"
              onFinish={submit}
              initialValues={{ type: types[0], priority: 'normal', content: '' }}
              onValuesChange={(ch) => {
                if ('title' in ch) titleTouched.current = true;
                if ('deadline' in ch) deadlineTouched.current = true;
              }}
              data-testid="create-form"
            >
              <Form.Item label={t('create.fromOrder')}>
                <Radio.Group
                  value={mode}
                  onChange={(e) => setMode(e.target.value)}
                  optionType="button"
                  options={[
                    { value: 'order', label: t('create.fromOrder') },
                    { value: 'standalone', label: t('create.standalone') },
                  ]}
                  aria-label={t('create.fromOrder')}
                />
              </Form.Item>
              {mode === 'order' && (
                <Form.Item label={t('create.orderSearch')} required>
                  <Select
                    showSearch={{ filterOption: false, onSearch: search }}
                    value={order?.order_no}
                    placeholder={t('create.orderSearch')}
                    aria-label={t('create.orderSearch')}
                    data-testid="order-search"
                    notFoundContent={searching ? <Spin size="small" /> : undefined}
                    onChange={(no: string) => setOrder(options.find((o) => o.order_no === no) ?? null)}
                    options={options.map((o) => ({
                      value: o.order_no,
                      label: `${o.order_no} · ${o.buyer_nick} · ${formatFen(o.paid_amount)} · ${t(`order.${o.status}`)}`,
                    }))}
                  />
                </Form.Item>
              )}
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item name="type" label={t('create.type')} rules={[{ required: true }]}>
                    <Select
                      options={types.map((x) => ({ value: x, label: typeName(t, lang, x, typeDefs) }))}
                      aria-label={t('create.type')}
                      data-testid="type-select"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name="priority" label={t('create.priority')}>
                    <Select options={PRIORITIES.map((p) => ({ value: p, label: t(`prio.${p}`) }))} aria-label={t('create.priority')} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="title" label={t('create.titleField')} rules={[{ required: true, whitespace: true, message: t('dlg.textRequired') }]}>
                <Input maxLength={200} data-testid="title-input" />
              </Form.Item>
              <Form.Item name="content" label={t('create.content')}>
                <Input.TextArea rows={4} maxLength={5000} showCount data-testid="content-input" />
              </Form.Item>
              {fields.length > 0 && (
                <Row gutter={12} data-testid="custom-fields">
                  {fields.map((f) => (
                    <Col key={f.key} xs={24} sm={f.kind === 'long_text' || f.kind === 'multi_choice' ? 24 : 12}>
                      <Form.Item
                        name={['f', f.key]}
                        label={lang === 'en' ? f.label_en : f.label_zh}
                        valuePropName={f.kind === 'bool' ? 'checked' : 'value'}
                        rules={f.required && f.kind !== 'bool' ? [{ required: true, message: t('dlg.textRequired') }] : []}
                      >
                        <FieldInput field={f} users={users} label={lang === 'en' ? f.label_en : f.label_zh} />
                      </Form.Item>
                    </Col>
                  ))}
                </Row>
              )}
              {type === 'collab' && (
                <>
                  <Form.Item name="category" label={t('collab.category')} rules={[{ required: true }]}>
                    <Input />
                  </Form.Item>
                  <Form.Item name="complaint" label={t('collab.complaint')} rules={[{ required: true }]}>
                    <Input.TextArea rows={3} />
                  </Form.Item>
                  <Form.Item name="remedy" label={t('collab.remedy')}>
                    <Input />
                  </Form.Item>
                </>
              )}
              <Row gutter={12}>
                {!platform && (
                  <Col xs={24} sm={12}>
                    <Form.Item name="handler_id" label={t('create.handler')}>
                      <Select
                        allowClear
                        showSearch={{ optionFilterProp: 'label' }}
                        placeholder={t('dlg.pickHandler')}
                        aria-label={t('create.handler')}
                        data-testid="create-handler"
                        options={users.map((u) => ({ value: u.id, label: `${u.display_name}（${u.username} · ${t(`role.${u.role}`)}）` }))}
                      />
                    </Form.Item>
                  </Col>
                )}
                <Col xs={24} sm={12}>
                  <Form.Item name="deadline" label={t('create.deadline')} extra={t('create.deadlineHint', { p: presetText })}>
                    <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} aria-label={t('create.deadline')} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label={t('att.title')}>
                <EvidenceUpload onChange={setFiles} onBusy={setUploading} hint={t('att.hint')} />
              </Form.Item>
              {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} style={{ marginBottom: 12 }} role="alert" />}
              <Space>
                <Button type="primary" htmlType="submit" loading={busy} disabled={uploading} data-testid="create-submit">
                  {uploading ? t('att.uploading') : t('create.submit')}
                </Button>
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          {mode === 'order' ? (
            order ? (
              <OrderCard order={order} />
            ) : (
              <Card size="small">
                <Typography.Text type="secondary">{t('create.pickOrder')}</Typography.Text>
              </Card>
            )
          ) : null}
        </Col>
      </Row>
    </div>
  );
}

/** The input of one custom field, by its kind (antd's Form.Item passes value and onChange). */
function FieldInput({ field, users, label, ...rest }: { field: ShopTypeField; users: readonly ShopUser[]; label: string }) {
  const a = { 'aria-label': label, 'data-testid': `field-input-${field.key}`, ...rest };
  switch (field.kind) {
    case 'long_text':
      return <Input.TextArea rows={3} maxLength={4000} {...a} />;
    case 'number':
      return <InputNumber style={{ width: '100%' }} {...a} />;
    case 'money':
      return <InputNumber style={{ width: '100%' }} min={0} precision={2} prefix="¥" {...a} />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} {...a} />;
    case 'choice':
      return <Select allowClear options={field.options.map((o) => ({ value: o, label: o }))} {...a} />;
    case 'multi_choice':
      return <Select mode="multiple" allowClear options={field.options.map((o) => ({ value: o, label: o }))} {...a} />;
    case 'bool':
      return <Switch {...a} />;
    case 'user':
      return <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={users.map((u) => ({ value: u.id, label: u.display_name }))} {...a} />;
    default:
      return <Input maxLength={200} {...a} />;
  }
}
