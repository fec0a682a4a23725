import { Alert, Button, Card, DatePicker, Form, Input, Progress, Radio, Select, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { get, post, uuid, type Body } from '../lib/api';
import ErrorMessage from '../components/ErrorMessage';
import { isLead, useApp } from '../lib/app';
import { toRfc3339 } from '../lib/format';
import type { View } from '../lib/listParams';
import type { ExportJob, State, WorkorderType } from '../lib/types';
import { BUILTIN_TYPES, typeName, useWorkorderTypes } from '../lib/workorderTypes';

const STATES: State[] = ['open', 'in_progress', 'waiting_buyer', 'done', 'cancelled'];

export function exportPercent(job: ExportJob | null): number {
  if (!job) return 0;
  if (job.state === 'done') return 100;
  if (!job.rows_total) return 0;
  return Math.min(99, Math.floor((job.rows_done / job.rows_total) * 100));
}

interface FormValues {
  format: 'csv' | 'xlsx';
  headers: 'zh' | 'en';
  view: NonNullable<Body<'post', '/exports'>['view']>;
  type?: string;
  state?: Body<'post', '/exports'>['state'];
  q?: string;
  created?: [Dayjs | null, Dayjs | null] | null;
}

export default function Export() {
  const { t, lang, user } = useApp();
  const [typeDefs] = useWorkorderTypes();
  const typeOptions = [...BUILTIN_TYPES, ...typeDefs.filter((d) => !d.builtin).map((d) => d.key)].map((x: WorkorderType) => ({
    value: x,
    label: typeName(t, lang, x, typeDefs),
  }));
  const [job, setJob] = useState<ExportJob | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const views: View[] = isLead(user) ? ['shop', 'todo', 'created', 'assigned', 'overdue'] : ['todo', 'created', 'assigned', 'overdue'];

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const poll = (id: string) => {
    timer.current = window.setTimeout(async () => {
      try {
        const j = await get('/exports/{id}', { params: { id } });
        setJob(j);
        if (j.state === 'failed') setErr(j.error ?? t('export.state.failed'));
        else if (j.state !== 'done') poll(id);
      } catch (e) {
        setErr(e);
      }
    }, 500);
  };

  const start = async (v: FormValues) => {
    setErr(null);
    setJob(null);
    setBusy(true);
    try {
      const body: Body<'post', '/exports'> = { format: v.format, headers: v.headers, view: v.view };
      if (v.type) body.type = v.type;
      if (v.state) body.state = v.state;
      if (v.q?.trim()) body.q = v.q.trim();
      if (v.created?.[0]) body.created_from = toRfc3339(v.created[0].startOf('day').toDate());
      if (v.created?.[1]) body.created_to = toRfc3339(v.created[1].endOf('day').toDate());
      const j = await post('/exports', { body, idempotencyKey: uuid() });
      setJob(j);
      if (j.state !== 'done' && j.state !== 'failed') poll(j.id);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  const pct = exportPercent(job);
  return (
    <div>
      <h1 className="page-title">{t('export.title')}</h1>
      <Card size="small" style={{ maxWidth: 720 }}>
        <Form<FormValues> layout="vertical" onFinish={start} initialValues={{ format: 'xlsx', headers: 'zh', view: views[0] }} data-testid="export-form">
          <Form.Item name="format" label={t('export.format')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'xlsx', label: 'Excel (XLSX)' },
                { value: 'csv', label: 'CSV' },
              ]}
            />
          </Form.Item>
          <Form.Item name="headers" label={t('export.headers')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'zh', label: t('export.headers.zh') },
                { value: 'en', label: t('export.headers.en') },
              ]}
            />
          </Form.Item>
          <Form.Item name="view" label={t('export.view')}>
            <Select options={views.map((v) => ({ value: v, label: t(`view.${v}`) }))} aria-label={t('export.view')} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="type" label={t('col.type')}>
              <Select allowClear style={{ width: 160 }} placeholder={t('list.all')} options={typeOptions} aria-label={t('col.type')} />
            </Form.Item>
            <Form.Item name="state" label={t('col.state')}>
              <Select
                allowClear
                style={{ width: 140 }}
                placeholder={t('list.all')}
                options={STATES.map((x) => ({ value: x, label: t(`state.${x}`) }))}
                aria-label={t('col.state')}
              />
            </Form.Item>
            <Form.Item name="created" label={t('list.createdRange')}>
              <DatePicker.RangePicker allowEmpty={[true, true]} />
            </Form.Item>
          </Space>
          <Form.Item name="q" label={t('list.keyword')}>
            <Input allowClear />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy || (!!job && job.state !== 'done' && job.state !== 'failed')} data-testid="export-start">
            {t('export.start')}
          </Button>
        </Form>
        {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} role="alert" style={{ marginTop: 12 }} />}
        {job && (
          <div style={{ marginTop: 16 }} data-testid="export-job" data-state={job.state}>
            <Progress
              percent={pct}
              status={job.state === 'failed' ? 'exception' : job.state === 'done' ? 'success' : 'active'}
              aria-label={t(`export.state.${job.state}`)}
            />
            <Typography.Text type="secondary">
              {t(`export.state.${job.state}`)} · {t('export.progress', { done: job.rows_done ?? 0, total: job.rows_total ?? '?' })}
            </Typography.Text>
            {job.state === 'done' && (
              <div style={{ marginTop: 12 }}>
                <Button type="primary" icon={<DownloadOutlined />} href={`/api/v1/exports/${job.id}/file`} download data-testid="export-download">
                  {t('export.download')}
                </Button>
              </div>
            )}
          </div>
        )}
      </Card>
    </div>
  );
}
