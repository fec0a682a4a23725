import { App, Button, Card, Empty, Form, Input, Popconfirm, Radio, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, RobotOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { del, get, post } from '../lib/api';
import ErrorMessage, { showOnField } from '../components/ErrorMessage';
import LoadError from '../components/LoadError';
import { isLead, useApp } from '../lib/app';
import { formatTimeSec } from '../lib/format';
import { useLoaded } from '../lib/loaded';
import { isRobot, robotProblem, ROBOT_SECRET_MAX, type RobotFormat } from '../lib/notifications';
import type { EventKind } from '../lib/types';
import { EVENT_KINDS, WEBHOOK_DESC_MAX, webhookStatus } from '../lib/webhooks';
import NotFound from './NotFound';

const FIELDS = ['url', 'secret', 'format', 'events', 'description'] as const;

interface FormValues {
  format: RobotFormat;
  url: string;
  secret?: string;
  events?: EventKind[];
  description?: string;
}

/** 群机器人: a shop's owner or lead sends the shop's work order events to a DingTalk or WeCom group (docs/notifications.md). */
export default function Robots() {
  const { t, lang, user } = useApp();
  const { message } = App.useApp();
  // the shop's endpoints that are group robots (the others are the webhook page's)
  const list = useLoaded(() => get('/webhooks').then((r) => r.items.filter(isRobot)));
  const { value: items, reload } = list;
  const [removeErr, setRemoveErr] = useState<unknown>(null);
  const [formErr, setFormErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const format = Form.useWatch('format', form) ?? 'dingtalk';
  const lead = isLead(user);

  useEffect(() => {
    if (lead) void reload();
  }, [lead, reload]);

  if (!lead) return <NotFound />;

  const add = async (v: FormValues) => {
    const problem = robotProblem(v.format, v.url, v.secret);
    if (problem) {
      const msg = problem.field === 'url' ? t(`robots.form.url.${problem.rule}`) : t(`robots.form.secret.${problem.rule}`, { max: ROBOT_SECRET_MAX });
      form.setFields([{ name: problem.field, errors: [msg] }]);
      return;
    }
    setBusy(true);
    setFormErr(null);
    try {
      await post('/webhooks', {
        body: {
          format: v.format,
          url: v.url.trim(),
          ...(v.format === 'dingtalk' ? { secret: v.secret?.trim() } : {}),
          events: v.events ?? [],
          ...(v.description ? { description: v.description } : {}),
        },
      });
      form.resetFields();
      message.success(t('robots.added'));
      await reload();
    } catch (e) {
      if (!showOnField(form, e, FIELDS, lang)) setFormErr(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: string) => {
    setRemoveErr(null);
    try {
      await del('/webhooks/{id}', { params: { id } });
      await reload();
    } catch (e) {
      setRemoveErr(e);
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <RobotOutlined />
            {t('robots.title')}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('robots.intro')}</Typography.Paragraph>
        <LoadError error={list.error} lang={lang} />
        {removeErr !== null && <ErrorMessage error={removeErr} lang={lang} />}
        {items && items.length === 0 && <Empty description={t('robots.empty')} />}
        <div className="robot-list">
          {(items ?? []).map((h) => (
            <Card key={h.id} size="small" className="robot-card" data-testid="robot">
              <Space direction="vertical" size={4} style={{ width: '100%', minWidth: 0 }}>
                <Space wrap>
                  <Tag color={h.format === 'dingtalk' ? 'blue' : 'green'}>{t(`robots.format.${h.format as RobotFormat}`)}</Tag>
                  {h.description && <Typography.Text strong>{h.description}</Typography.Text>}
                  {webhookStatus(h) === 'ok' ? <Tag color="success">{t('webhooks.status.ok')}</Tag> : <Tag color="error">{t('webhooks.status.retrying')}</Tag>}
                </Space>
                <Typography.Text className="robot-url" type="secondary">
                  {h.url}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('robots.events')}: {h.events.length ? h.events.map((k) => t(`webhooks.kind.${k}`)).join('、') : t('webhooks.events.all')}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('robots.sent', { n: h.delivered })}
                  {h.last_attempt_at ? ` · ${formatTimeSec(h.last_attempt_at)}` : ''}
                </Typography.Text>
                {h.last_error && <Typography.Text type="danger">{t('webhooks.lastError', { e: h.last_error })}</Typography.Text>}
                <Popconfirm title={t('robots.deleteConfirm')} onConfirm={() => void remove(h.id)} okText={t('webhooks.delete')} cancelText={t('common.cancel')}>
                  <Button size="small" danger icon={<DeleteOutlined />}>
                    {t('webhooks.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            </Card>
          ))}
        </div>
      </Card>
      <Card title={t('robots.add')}>
        {formErr !== null && <ErrorMessage error={formErr} lang={lang} />}
        <Form form={form} layout="vertical" initialValues={{ format: 'dingtalk' }} onFinish={(v) => void add(v)} requiredMark={false}>
          <Form.Item name="format" label={t('robots.form.format')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'dingtalk', label: t('robots.format.dingtalk') },
                { value: 'wecom', label: t('robots.format.wecom') },
              ]}
            />
          </Form.Item>
          <Form.Item name="url" label={t('robots.form.url')} extra={t(`robots.form.urlHint.${format}`)}>
            <Input
              placeholder={
                format === 'dingtalk' ? 'https://oapi.dingtalk.com/robot/send?access_token=…' : 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…'
              }
              data-testid="robot-url"
            />
          </Form.Item>
          {format === 'dingtalk' && (
            <Form.Item name="secret" label={t('robots.form.secret')} extra={t('robots.form.secretHint')}>
              <Input.Password placeholder="SEC…" autoComplete="off" data-testid="robot-secret" />
            </Form.Item>
          )}
          <Form.Item name="events" label={t('robots.form.events')}>
            <Select
              mode="multiple"
              allowClear
              placeholder={t('webhooks.form.eventsPlaceholder')}
              options={EVENT_KINDS.map((k) => ({ value: k, label: t(`webhooks.kind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="description" label={t('webhooks.form.description')}>
            <Input maxLength={WEBHOOK_DESC_MAX} placeholder={t('robots.form.descriptionPlaceholder')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="robot-add">
            {t('robots.add')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
