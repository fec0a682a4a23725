import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Table, Tag, Tooltip, Typography, type InputRef } from 'antd';
import { ApiOutlined, DeleteOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { Fragment, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { del, get, post, uuid, type Body } from '../lib/api';
import { useLoaded } from '../lib/loaded';
import ErrorMessage, { showOnField } from '../components/ErrorMessage';
import LoadError from '../components/LoadError';
import { isLead, useApp, useNow } from '../lib/app';
import { formatDuration, formatTimeSec } from '../lib/format';
import type { EventKind, Webhook } from '../lib/types';
import { EVENT_KINDS, urlProblem, WEBHOOK_DESC_MAX, WEBHOOK_URL_MAX, WEBHOOKS_MAX, webhookStatus } from '../lib/webhooks';
import { isRobot } from '../lib/notifications';
import NotFound from './NotFound';

const POLL_MS = 5000;
const FIELDS = ['url', 'description', 'events'] as const;

interface FormValues {
  url: string;
  description?: string;
  events?: EventKind[];
}

/** A sentence with `code` spans (the help texts in lib/i18n.ts mark identifiers with backquotes). */
function withCode(s: string): ReactNode {
  return s.split('`').map((part, i) =>
    i % 2 ? (
      <Typography.Text code key={i}>
        {part}
      </Typography.Text>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
}

const EXAMPLE = `const crypto = require('node:crypto');

// rawBody: the request body exactly as received (a Buffer or string)
function verify(rawBody, header, secret) {
  const m = /^t=(\\d+),v1=([0-9a-f]{64})$/.exec(header || '');
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  const want = crypto.createHmac('sha256', secret).update(m[1] + '.').update(rawBody).digest();
  return crypto.timingSafeEqual(want, Buffer.from(m[2], 'hex'));
}

// verify(body, req.headers['x-gongdan-signature'], 'whsec_...')
// then, for each event: skip it if event.id was seen before`;

/** Focus an element that is about to render (a popup's button), trying for a few frames. */
function focusSoon(id: string, frames = 30) {
  const el = document.getElementById(id);
  if (el && el.checkVisibility?.() !== false) el.focus({ preventScroll: true });
  else if (frames > 0) window.requestAnimationFrame(() => focusSoon(id, frames - 1));
}

/** 重试中: failures, when the next attempt is (with a ticking "in 4s"), and the last error. */
function Retrying({ h }: { h: Webhook }) {
  const { t, lang } = useApp();
  const now = useNow(1000);
  const next = h.next_attempt_at ? Date.parse(h.next_attempt_at) : NaN;
  const rel = Number.isNaN(next) ? '' : next > now ? t('webhooks.nextIn', { d: formatDuration(next - now, lang) }) : t('webhooks.nextSoon');
  return (
    <div className="webhook-status-detail">
      <Typography.Text type="secondary">{t('webhooks.failures', { n: h.failures })}</Typography.Text>
      {h.next_attempt_at && (
        <Typography.Text type="secondary" data-testid="webhook-next-attempt">
          {t('webhooks.nextAttempt', { at: formatTimeSec(h.next_attempt_at) })}
          {rel && (lang === 'zh' ? `（${rel}）` : ` (${rel})`)}
        </Typography.Text>
      )}
      {h.last_error && (
        <Typography.Text type="danger" data-testid="webhook-last-error">
          {t('webhooks.lastError', { e: h.last_error })}
        </Typography.Text>
      )}
    </div>
  );
}

/** Webhook 集成: a shop's owner or lead adds, watches and removes the endpoints its timeline events are posted to. */
export default function Webhooks() {
  const { t, lang, user } = useApp();
  const { message } = App.useApp();
  const lead = isLead(user);
  const [spinning, setSpinning] = useState(false);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formErr, setFormErr] = useState<unknown>(null);
  const [created, setCreated] = useState<Webhook | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [form] = Form.useForm<FormValues>();
  const urlInput = useRef<InputRef>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const idemKey = useRef(uuid());
  // Only the answer of the newest request is shown (a poll sent before a delete must not bring the row back).
  // Group robots have their own page.
  const list = useLoaded(() => get('/webhooks').then((r) => (r.items ?? []).filter((h) => !isRobot(h))));
  const { value: items, setValue: setItems, reload } = list;
  const inFlight = useRef(0);

  const load = useCallback(
    async (opts: { spin?: boolean; poll?: boolean } = {}) => {
      if (opts.poll && inFlight.current > 0) return; // a slow server: don't pile polls up
      inFlight.current++;
      if (opts.spin) setSpinning(true);
      // counted down (and the spinner stopped) whichever request ends up shown
      await reload();
      inFlight.current--;
      if (opts.spin) setSpinning(false);
    },
    [reload],
  );

  // Load, then poll every 5 s while the page is open (and the tab visible), so the status moves.
  useEffect(() => {
    if (!lead) return;
    void load({ spin: true });
    const timer = window.setInterval(() => {
      if (!document.hidden) void load({ poll: true });
    }, POLL_MS);
    const onVisible = () => {
      if (!document.hidden) void load({ poll: true });
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [lead, load]);

  if (!lead) return <NotFound />;

  const openAdd = () => {
    form.resetFields();
    setFormErr(null);
    idemKey.current = uuid();
    setAdding(true);
  };

  const submit = async (v: FormValues) => {
    setFormErr(null);
    const body: Body<'post', '/webhooks'> = { url: v.url.trim() };
    if (v.description?.trim()) body.description = v.description.trim();
    if (v.events?.length) body.events = v.events;
    setBusy(true);
    try {
      const h = await post('/webhooks', { body, idempotencyKey: idemKey.current });
      idemKey.current = uuid();
      setAdding(false);
      setCreated(h);
      const { secret: _secret, ...shown } = h;
      void _secret;
      setItems((cur) => (cur ? [...cur.filter((x) => x.id !== h.id), shown] : [shown]));
      void load();
    } catch (e) {
      // A field error (422 url: "must start with http:// or https://", "has no host", the 10-per-shop limit…) goes on its field.
      if (!showOnField(form, e, FIELDS, lang)) setFormErr(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (h: Webhook) => {
    setDeleting(h.id);
    try {
      await del('/webhooks/{id}', { params: { id: h.id } });
      setItems((cur) => cur?.filter((x) => x.id !== h.id) ?? cur);
      message.success(t('webhooks.deleted'));
      addRef.current?.focus(); // the row (and the focused button in it) is gone
    } catch (e) {
      message.error(<ErrorMessage error={e} lang={lang} />);
    } finally {
      setDeleting(null);
      void load();
    }
  };

  const columns: ColumnsType<Webhook> = [
    {
      title: t('webhooks.col.url'),
      dataIndex: 'url',
      render: (url: string) => (
        <Typography.Text className="webhook-url" data-testid="webhook-url">
          {url}
        </Typography.Text>
      ),
    },
    {
      title: t('webhooks.col.description'),
      dataIndex: 'description',
      width: 110,
      render: (d: string) => (d ? <span className="webhook-desc">{d}</span> : <Typography.Text type="secondary">—</Typography.Text>),
    },
    {
      title: t('webhooks.col.events'),
      dataIndex: 'events',
      width: 110,
      render: (ev: EventKind[] | undefined) =>
        ev?.length ? (
          <span data-testid="webhook-events">{ev.map((k) => t(`webhooks.kind.${k}`)).join(lang === 'en' ? ', ' : '、')}</span>
        ) : (
          <Typography.Text type="secondary" data-testid="webhook-events">
            {t('webhooks.events.all')}
          </Typography.Text>
        ),
    },
    {
      title: t('webhooks.col.status'),
      key: 'status',
      width: 190,
      render: (_, h) =>
        webhookStatus(h) === 'retrying' ? (
          <div data-testid="webhook-status" data-status="retrying" data-failures={h.failures}>
            <Tag color="red">{t('webhooks.status.retrying')}</Tag>
            <Retrying h={h} />
          </div>
        ) : (
          <div data-testid="webhook-status" data-status="ok" data-failures={0}>
            <Tag color="green">{t('webhooks.status.ok')}</Tag>
          </div>
        ),
    },
    {
      title: t('webhooks.col.delivered'),
      dataIndex: 'delivered',
      align: 'right',
      width: 96,
      render: (n: number) => (
        <span data-testid="webhook-delivered" data-count={n}>
          {n}
        </span>
      ),
    },
    {
      title: t('webhooks.col.pending'),
      dataIndex: 'pending',
      align: 'right',
      width: 80,
      render: (n: number) => (
        <span data-testid="webhook-pending" data-count={n} className={n > 0 ? 'webhook-pending-some' : undefined}>
          {n}
        </span>
      ),
    },
    {
      title: t('webhooks.col.last'),
      key: 'last',
      width: 160,
      render: (_, h) => {
        if (!h.last_attempt_at) return <Typography.Text type="secondary">{t('webhooks.never')}</Typography.Text>;
        const st = h.last_status;
        return (
          <div className="webhook-last" data-testid="webhook-last" data-status={st ?? ''}>
            <span>{formatTimeSec(h.last_attempt_at)}</span>
            {st ? <Tag color={st >= 200 && st < 300 ? 'green' : 'red'}>HTTP {st}</Tag> : <Tag color="red">{t('webhooks.noAnswer')}</Tag>}
          </div>
        );
      },
    },
    {
      title: t('webhooks.col.actions'),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, h) => (
        <Popconfirm
          title={t('webhooks.deleteConfirm')}
          description={<div style={{ maxWidth: 280 }}>{t('webhooks.deleteHint')}</div>}
          okText={t('webhooks.delete')}
          cancelText={t('act.cancelBtn')}
          okButtonProps={{ danger: true, 'data-testid': 'webhook-delete-confirm' }}
          cancelButtonProps={{ id: `webhook-delete-cancel-${h.id}` }}
          // keyboard users land in the confirmation (on its harmless button; Tab reaches 删除, Esc closes it)
          onOpenChange={(open) => open && focusSoon(`webhook-delete-cancel-${h.id}`)}
          onConfirm={() => remove(h)}
        >
          <Button
            danger
            size="small"
            icon={<DeleteOutlined />}
            loading={deleting === h.id}
            aria-label={t('webhooks.deleteAria', { url: h.url })}
            data-testid="webhook-delete"
          >
            {t('webhooks.delete')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  const full = (items?.length ?? 0) >= WEBHOOKS_MAX;
  const addButton = (
    <Button ref={addRef} type="primary" icon={<PlusOutlined />} onClick={openAdd} disabled={full} data-testid="webhooks-add">
      {t('webhooks.add')}
    </Button>
  );

  return (
    <div>
      <h1 className="page-title">
        <ApiOutlined aria-hidden style={{ marginInlineEnd: 8, color: '#1668dc' }} />
        {t('webhooks.title')}
      </h1>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 880 }}>
        {t('webhooks.intro')}
      </Typography.Paragraph>

      <Card
        size="small"
        title={<h2 className="card-title">{t('webhooks.list')}</h2>}
        extra={
          <Typography.Text type="secondary" className="hide-sm" data-testid="webhooks-count">
            {items ? t('webhooks.count', { n: items.length, max: WEBHOOKS_MAX }) : ''}
          </Typography.Text>
        }
        style={{ marginBottom: 12 }}
      >
        <div className="webhooks-toolbar">
          {full ? <Tooltip title={t('webhooks.limit', { max: WEBHOOKS_MAX })}>{addButton}</Tooltip> : addButton}
          <Button icon={<ReloadOutlined />} onClick={() => load({ spin: true })} loading={spinning && items !== null} data-testid="webhooks-refresh">
            {t('common.refresh')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('webhooks.polling')}
          </Typography.Text>
        </div>
        {full && <Alert type="info" showIcon title={t('webhooks.limit', { max: WEBHOOKS_MAX })} style={{ marginBottom: 12 }} />}
        <LoadError error={list.error} lang={lang} />
        <Table<Webhook>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items ?? []}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 960 }}
          locale={{ emptyText: <div style={{ padding: 16 }}>{t('webhooks.empty')}</div> }}
          data-testid="webhooks-table"
        />
      </Card>

      <Card size="small" title={<h2 className="card-title">{t('webhooks.help.title')}</h2>} data-testid="webhooks-help">
        <ul className="webhooks-help">
          {(['request', 'verify', 'order', 'once', 'retry'] as const).map((k) => (
            <li key={k}>{withCode(t(`webhooks.help.${k}`))}</li>
          ))}
        </ul>
        <Typography.Text strong>{t('webhooks.help.example')}</Typography.Text>
        <pre className="webhooks-example" tabIndex={0} aria-label={t('webhooks.help.example')}>
          {EXAMPLE}
        </pre>
      </Card>

      <Modal
        open={adding}
        title={t('webhooks.add')}
        okText={t('webhooks.form.submit')}
        cancelText={t('act.cancelBtn')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setAdding(false)}
        okButtonProps={{ 'data-testid': 'webhook-submit' }}
        afterOpenChange={(open) => open && urlInput.current?.focus()}
        maskClosable={false}
        forceRender
      >
        <Form<FormValues> form={form} name="webhook" layout="vertical" onFinish={submit} requiredMark data-testid="webhook-form">
          <Form.Item
            name="url"
            label={t('webhooks.form.url')}
            extra={t('webhooks.form.urlHint')}
            required
            validateFirst
            rules={[
              {
                validator: async (_, v: string | undefined) => {
                  const p = urlProblem(v);
                  if (p === 'required') throw new Error(t('webhooks.form.urlRequired'));
                  if (p === 'scheme') throw new Error(t('webhooks.form.urlScheme'));
                  if (p === 'long') throw new Error(t('webhooks.form.urlTooLong', { max: WEBHOOK_URL_MAX }));
                },
              },
            ]}
          >
            <Input
              ref={urlInput}
              placeholder="https://erp.example.com/gongdan/webhook"
              maxLength={WEBHOOK_URL_MAX}
              autoComplete="off"
              spellCheck={false}
              inputMode="url"
              onPressEnter={() => form.submit()}
              data-testid="webhook-url-input"
            />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('webhooks.form.description')}
            rules={[{ max: WEBHOOK_DESC_MAX, message: t('webhooks.form.descriptionTooLong', { max: WEBHOOK_DESC_MAX }) }]}
          >
            <Input
              placeholder={t('webhooks.form.descriptionPlaceholder')}
              maxLength={WEBHOOK_DESC_MAX}
              showCount
              autoComplete="off"
              onPressEnter={() => form.submit()}
              data-testid="webhook-description-input"
            />
          </Form.Item>
          <Form.Item name="events" label={t('webhooks.form.events')}>
            <Select
              mode="multiple"
              allowClear
              placeholder={t('webhooks.form.eventsPlaceholder')}
              aria-label={t('webhooks.form.events')}
              data-testid="webhook-events-select"
              showSearch={{ optionFilterProp: 'label' }}
              options={EVENT_KINDS.map((k) => ({ value: k, label: t(`webhooks.kind.${k}`) }))}
            />
          </Form.Item>
          {formErr != null && <Alert type="error" showIcon title={<ErrorMessage error={formErr} lang={lang} />} role="alert" />}
        </Form>
      </Modal>

      <Modal
        open={created !== null}
        title={t('webhooks.secret.title')}
        onCancel={() => setCreated(null)}
        afterClose={() => addRef.current?.focus()}
        maskClosable={false}
        destroyOnHidden
        footer={
          <Button type="primary" onClick={() => setCreated(null)} data-testid="webhook-secret-done">
            {t('webhooks.secret.done')}
          </Button>
        }
      >
        {created && (
          <div data-testid="webhook-secret-body">
            <Alert type="warning" showIcon title={t('webhooks.secret.once')} description={t('webhooks.secret.onceDetail')} style={{ marginBottom: 16 }} />
            <div className="webhook-secret-url">
              <Typography.Text type="secondary">
                {t('webhooks.col.url')}
                {lang === 'zh' ? '：' : ': '}
              </Typography.Text>
              <Typography.Text className="webhook-url">{created.url}</Typography.Text>
            </div>
            <div id="webhook-secret-label" style={{ marginTop: 12, marginBottom: 4 }}>
              <Typography.Text strong>{t('webhooks.secret.label')}</Typography.Text>
            </div>
            <Typography.Text
              code
              className="webhook-secret"
              data-testid="webhook-secret"
              aria-labelledby="webhook-secret-label"
              copyable={{ text: created.secret ?? '', tooltips: [t('webhooks.secret.copy'), t('webhooks.secret.copied')] }}
            >
              {created.secret}
            </Typography.Text>
          </div>
        )}
      </Modal>
    </div>
  );
}
