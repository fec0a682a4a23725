// 工单类型: the shop's own work order types and their custom fields (docs/types.md), for its owner
// and leads. A type or a field is added here and retired (or restored), never deleted.
import { Alert, App, Button, Card, Checkbox, Col, Empty, Form, Input, InputNumber, Row, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Navigate } from 'react-router';
import ErrorMessage from '../components/ErrorMessage';
import { patch, post, type Body } from '../lib/api';
import { isLead, useApp } from '../lib/app';
import type { FieldKind, ShopTypeField, WorkorderTypeDef } from '../lib/types';
import { useUsers } from '../lib/users';
import { useWorkorderTypes } from '../lib/workorderTypes';

const COLORS = ['#1677ff', '#52c41a', '#fa8c16', '#f5222d', '#722ed1', '#13c2c2', '#eb2f96', '#8c8c8c'];
const KINDS: FieldKind[] = ['text', 'long_text', 'number', 'money', 'date', 'choice', 'multi_choice', 'bool', 'user'];

interface TypeForm {
  name_zh: string;
  name_en: string;
  default_deadline_hours: number;
  default_handler_id?: string;
  color: string;
}

interface FieldForm {
  key: string;
  label_zh: string;
  label_en: string;
  kind: FieldKind;
  required?: boolean;
  options?: string;
}

export default function WorkorderTypes() {
  const { t, lang, user } = useApp();
  const [defs, reload] = useWorkorderTypes();
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<TypeForm>();
  const users = useUsers();
  const { message } = App.useApp();

  if (!isLead(user)) return <Navigate to="/" replace />;
  const own = defs.filter((d) => !d.builtin);

  const refresh = async () => reload(); // asks the server again (forced past the kept list)

  const create = async (v: TypeForm) => {
    setErr(null);
    setBusy(true);
    try {
      await post('/workorder_types', { body: { ...v, name_zh: v.name_zh.trim(), name_en: v.name_en.trim() } });
      form.resetFields();
      message.success(t('types.saved'));
      await refresh();
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <h1 className="page-title">{t('types.title')}</h1>
      <Typography.Paragraph type="secondary">{t('types.intro')}</Typography.Paragraph>
      <Card size="small" title={t('types.add')} style={{ marginBottom: 16 }}>
        <Form<TypeForm>
          form={form}
          layout="vertical"
          onFinish={create}
          initialValues={{ default_deadline_hours: 24, color: COLORS[0] }}
          data-testid="type-form"
        >
          <Row gutter={12}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="name_zh" label={t('types.nameZh')} rules={[{ required: true, whitespace: true, max: 30 }]}>
                <Input maxLength={30} data-testid="type-name-zh" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="name_en" label={t('types.nameEn')} rules={[{ required: true, whitespace: true, max: 30 }]}>
                <Input maxLength={30} data-testid="type-name-en" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={4}>
              <Form.Item name="default_deadline_hours" label={t('types.deadlineHours')} extra={t('types.deadlineHint')}>
                <InputNumber min={0} max={8760} precision={0} style={{ width: '100%' }} aria-label={t('types.deadlineHours')} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={4}>
              <Form.Item name="color" label={t('types.color')}>
                <Select
                  aria-label={t('types.color')}
                  options={COLORS.map((c) => ({
                    value: c,
                    label: (
                      <span>
                        <span className="type-dot" style={{ background: c }} />
                        {c}
                      </span>
                    ),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={4}>
              <Form.Item name="default_handler_id" label={t('types.defaultHandler')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  aria-label={t('types.defaultHandler')}
                  options={users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.display_name }))}
                />
              </Form.Item>
            </Col>
          </Row>
          {err != null && <Alert type="error" showIcon role="alert" title={<ErrorMessage error={err} lang={lang} />} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="type-submit">
            {t('types.add')}
          </Button>
        </Form>
      </Card>
      {own.length === 0 ? <Empty description={t('types.none')} /> : own.map((d) => <TypeCard key={d.key} def={d} onChanged={refresh} />)}
    </div>
  );
}

function TypeCard({ def, onChanged }: { def: WorkorderTypeDef; onChanged: () => Promise<void> }) {
  const { t, lang } = useApp();
  const [err, setErr] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<FieldForm>();
  const kind = Form.useWatch('kind', form);

  const change = async (request: () => Promise<unknown>) => {
    setErr(null);
    try {
      await request();
      await onChanged();
    } catch (e) {
      setErr(e);
    }
  };

  const addField = async (v: FieldForm) => {
    setErr(null);
    setAdding(true);
    try {
      const body: Body<'post', '/workorder_types/{key}/fields'> = {
        key: v.key.trim(),
        label_zh: v.label_zh.trim(),
        label_en: v.label_en.trim(),
        kind: v.kind,
        required: !!v.required,
      };
      if (v.kind === 'choice' || v.kind === 'multi_choice') {
        body.options = (v.options ?? '')
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean);
      }
      await post('/workorder_types/{key}/fields', { params: { key: def.key }, body });
      form.resetFields();
      await onChanged();
    } catch (e) {
      setErr(e);
    } finally {
      setAdding(false);
    }
  };

  const hours = def.default_deadline_hours ? t('types.hours', { n: def.default_deadline_hours }) : t('types.deadlineNone');
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={`type-card-${def.key}`}
      title={
        <Space wrap>
          <span className="type-dot" style={{ background: def.color ?? undefined }} />
          <span>{lang === 'en' ? def.name_en : def.name_zh}</span>
          <Typography.Text type="secondary">{lang === 'en' ? def.name_zh : def.name_en}</Typography.Text>
          {def.retired && <Tag>{t('types.retired')}</Tag>}
        </Space>
      }
      extra={
        <Button
          size="small"
          onClick={() => change(() => patch('/workorder_types/{key}', { params: { key: def.key }, body: { retired: !def.retired } }))}
          data-testid={`type-retire-${def.key}`}
        >
          {def.retired ? t('types.restore') : t('types.retire')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {def.key} · {hours}
      </Typography.Paragraph>
      <Typography.Text strong>{t('types.fields')}</Typography.Text>
      {def.fields.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('types.noFields')}</Typography.Paragraph>
      ) : (
        <ul className="plain-list" style={{ paddingLeft: 0, listStyle: 'none', margin: '8px 0' }}>
          {def.fields.map((f: ShopTypeField) => (
            <li key={f.key} className="types-field" style={{ marginBottom: 6 }} data-testid={`field-${f.key}`}>
              <span className="types-field-name">{lang === 'en' ? f.label_en : f.label_zh}</span>
              <Typography.Text type="secondary">{f.key}</Typography.Text>
              <Tag>{t(`types.kind.${f.kind}`)}</Tag>
              {f.required && <Tag color="red">{t('types.required')}</Tag>}
              {f.options.length > 0 && <Typography.Text type="secondary">{f.options.join(' / ')}</Typography.Text>}
              {f.retired && <Tag>{t('types.retired')}</Tag>}
              <Button
                size="small"
                type="link"
                onClick={() =>
                  change(() => patch('/workorder_types/{key}/fields/{field}', { params: { key: def.key, field: f.key }, body: { retired: !f.retired } }))
                }
                data-testid={`field-retire-${f.key}`}
              >
                {f.retired ? t('types.restore') : t('types.retire')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {!def.retired && (
        <Form<FieldForm> form={form} layout="vertical" onFinish={addField} initialValues={{ kind: 'text' }} data-testid={`field-form-${def.key}`}>
          <Row gutter={12}>
            <Col xs={24} sm={12} lg={5}>
              <Form.Item
                name="key"
                label={t('types.fieldKey')}
                tooltip={t('types.fieldKeyHint')}
                rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,31}$/, message: t('types.fieldKeyHint') }]}
              >
                <Input maxLength={32} data-testid="field-key" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={5}>
              <Form.Item name="label_zh" label={t('types.fieldLabelZh')} rules={[{ required: true, whitespace: true, max: 30 }]}>
                <Input maxLength={30} data-testid="field-label-zh" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={5}>
              <Form.Item name="label_en" label={t('types.fieldLabelEn')} rules={[{ required: true, whitespace: true, max: 30 }]}>
                <Input maxLength={30} data-testid="field-label-en" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={5}>
              <Form.Item name="kind" label={t('types.fieldKind')}>
                <Select aria-label={t('types.fieldKind')} data-testid="field-kind" options={KINDS.map((k) => ({ value: k, label: t(`types.kind.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={4}>
              <Form.Item name="required" valuePropName="checked" label=" ">
                <Checkbox data-testid="field-required">{t('types.required')}</Checkbox>
              </Form.Item>
            </Col>
            {(kind === 'choice' || kind === 'multi_choice') && (
              <Col xs={24}>
                <Form.Item name="options" label={t('types.options')} rules={[{ required: true, whitespace: true }]}>
                  <Input.TextArea rows={3} data-testid="field-options" />
                </Form.Item>
              </Col>
            )}
          </Row>
          <Button htmlType="submit" loading={adding} data-testid="field-submit">
            {t('types.addField')}
          </Button>
        </Form>
      )}
      {err != null && <Alert type="error" showIcon role="alert" title={<ErrorMessage error={err} lang={lang} />} style={{ marginTop: 12 }} />}
    </Card>
  );
}
