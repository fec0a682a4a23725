import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { get, post, uuid } from '../../lib/api';
import ErrorMessage, { showOnField } from '../../components/ErrorMessage';
import { isPlatform, useApp } from '../../lib/app';
import { useLatest } from '../../lib/latest';
import { logFailure } from '../../lib/logFailure';
import { loadRules } from '../../lib/rules';
import type { Remedy, Rules, Shop } from '../../lib/types';

/** Complaint categories offered; the value is what the shop sees (stored verbatim), the label follows the language. */
export const CATEGORIES = ['描述不符', '质量问题', '未按约定时间发货', '物流问题', '其他'] as const;
export const REMEDIES = ['refund', 'return_refund', 'reship', 'exchange', 'repair'] as const;
const FIELDS = ['shop_id', 'order_no', 'category', 'complaint', 'remedy'] as const;

interface Values {
  shop_id: string;
  order_no: string;
  category: string;
  complaint: string;
  remedy: Remedy;
}

/** 新建协同工单: platform staff open a case about a shop's order on behalf of a buyer (POST /api/v1/collab). */
export default function NewCollab() {
  const { t, lang, user, refreshCounts } = useApp();
  const { message } = App.useApp();
  const nav = useNavigate();
  const [form] = Form.useForm<Values>();
  const [shops, setShops] = useState<Shop[] | null>(null);
  const [rules, setRules] = useState<Rules | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const idemKey = useRef(uuid());
  const platform = isPlatform(user);
  const latestShops = useLatest();
  const latestRules = useLatest();

  useEffect(() => {
    if (!platform) return;
    latestShops(get('/shops')).then(
      (r) => {
        const items = r.items ?? [];
        setShops(items);
        if (items.length === 1) form.setFieldValue('shop_id', items[0].id);
      },
      (e) => {
        setShops([]);
        setErr(e);
      },
    );
    latestRules(loadRules()).then(setRules, (e) => logFailure('the platform rules (the form offers every remedy)', e));
  }, [platform, form, latestShops, latestRules]);

  if (!platform) return <Navigate to="/new" replace />;

  const submit = async (v: Values) => {
    setErr(null);
    const body = { shop_id: v.shop_id, order_no: v.order_no.trim(), category: v.category, complaint: v.complaint.trim(), remedy: v.remedy };
    setBusy(true);
    try {
      const wo = await post('/collab', { body, idempotencyKey: idemKey.current });
      idemKey.current = uuid();
      message.success(t('create.created', { n: wo.number }));
      refreshCounts();
      nav(`/wo/${wo.id}`);
    } catch (e) {
      // A field error (e.g. 422 order_no: the shop has no such order) is shown on that field, explained (lib/errors.ts).
      if (!showOnField(form, e, FIELDS, lang)) setErr(e);
    } finally {
      setBusy(false);
    }
  };

  const windowHours = rules?.reply_window_hours;

  return (
    <div>
      <h1 className="page-title">{t('newCollab.title')}</h1>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card size="small">
            <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="collab-create-form" scrollToFirstError>
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item name="shop_id" label={t('newCollab.shop')} rules={[{ required: true, message: t('newCollab.pickShop') }]}>
                    <Select
                      showSearch={{ optionFilterProp: 'label' }}
                      loading={shops === null}
                      placeholder={t('newCollab.pickShop')}
                      aria-label={t('newCollab.shop')}
                      data-testid="collab-shop"
                      options={(shops ?? []).map((s) => ({ value: s.id, label: s.name }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="order_no"
                    label={t('newCollab.orderNo')}
                    rules={[{ required: true, whitespace: true, message: t('newCollab.orderRequired') }]}
                    extra={t('newCollab.orderHint')}
                  >
                    <Input maxLength={64} allowClear placeholder="TB2026…" data-testid="collab-order" autoComplete="off" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="category" label={t('collab.category')} rules={[{ required: true, message: t('collab.required') }]}>
                <Radio.Group data-testid="collab-category" optionType="button" options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
              </Form.Item>
              <Form.Item name="complaint" label={t('collab.complaint')} rules={[{ required: true, whitespace: true, message: t('collab.required') }]}>
                <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('newCollab.complaintHint')} data-testid="collab-complaint" />
              </Form.Item>
              <Form.Item name="remedy" label={t('collab.remedy')} rules={[{ required: true, message: t('collab.required') }]}>
                <Radio.Group data-testid="collab-remedy" options={REMEDIES.map((r) => ({ value: r, label: t(`remedy.${r}`) }))} />
              </Form.Item>
              {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} style={{ marginBottom: 12 }} role="alert" />}
              <Space>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="collab-submit">
                  {t('newCollab.submit')}
                </Button>
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" title={t('newCollab.whatNext')}>
            <Typography.Paragraph style={{ marginBottom: 8 }}>
              {typeof windowHours === 'number' ? t('newCollab.next1', { h: windowHours }) : t('newCollab.next1nohours')}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('newCollab.next2')}
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
