import { Alert, App, Button, Card, Empty, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useState } from 'react';
import ErrorMessage from '../components/ErrorMessage';
import PageSpin from '../components/PageSpin';
import { get, put } from '../lib/api';
import { isLead, isPlatform, useApp } from '../lib/app';
import { isHhmm, rowsOf, settingsBody, TARGET_MAX_MINUTES, typesLeft, type TargetRow, type TargetType } from '../lib/targets';
import type { TargetSettings } from '../lib/types';
import { typeName, useWorkorderTypes } from '../lib/workorderTypes';
import NotFound from './NotFound';

/** 时效目标: the shop's daily working hours and, per work order type, the first-response and resolution targets in
 * working minutes, the reminder before them and whether a missed one goes to the lead's queue (docs/targets.md).
 * Owners and leads change them; agents read them. */
export default function Targets() {
  const { t, lang, user } = useApp();
  const { message } = App.useApp();
  const lead = isLead(user);
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('18:00');
  const [rows, setRows] = useState<TargetRow[] | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [defs] = useWorkorderTypes(); // the shop's own types, listed beside the built-in ones

  const show = useCallback((s: TargetSettings) => {
    setStart(s.hours.start);
    setEnd(s.hours.end);
    setRows(rowsOf(s));
  }, []);
  useEffect(() => {
    if (isPlatform(user)) return;
    get('/targets').then(show, setErr);
  }, [show, user]);

  if (isPlatform(user)) return <NotFound />;
  if (!rows) return err ? <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} role="alert" /> : <PageSpin />;

  const set = (i: number, patch: Partial<TargetRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const left = typesLeft(rows, defs);
  const hoursOk = isHhmm(start) && isHhmm(end);
  const save = async () => {
    setBusy(true);
    try {
      show(await put('/targets', { body: settingsBody(start, end, rows) }));
      setErr(null);
      message.success(t('targets.saved'));
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  const minutes = (label: string, value: number | null, onChange: (v: number | null) => void, testid: string) => (
    <label className="target-field">
      <span>{label}</span>
      <InputNumber
        min={0}
        max={TARGET_MAX_MINUTES}
        precision={0}
        value={value}
        disabled={!lead}
        onChange={onChange}
        style={{ width: '100%' }}
        data-testid={testid}
      />
    </label>
  );

  return (
    <div>
      <h1 className="page-title">{t('targets.title')}</h1>
      <Typography.Paragraph type="secondary">{t('targets.hint')}</Typography.Paragraph>
      {!lead && <Alert type="info" showIcon title={t('targets.readOnly')} style={{ marginBottom: 12 }} />}
      {err != null && (
        <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} role="alert" style={{ marginBottom: 12 }} data-testid="targets-error" />
      )}
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small" title={t('targets.hours')}>
          <Space wrap>
            <label className="target-field">
              <span>{t('targets.start')}</span>
              <Input
                value={start}
                onChange={(e) => setStart(e.target.value.trim())}
                disabled={!lead}
                status={isHhmm(start) ? undefined : 'error'}
                style={{ width: 96 }}
                data-testid="targets-start"
              />
            </label>
            <label className="target-field">
              <span>{t('targets.end')}</span>
              <Input
                value={end}
                onChange={(e) => setEnd(e.target.value.trim())}
                disabled={!lead}
                status={isHhmm(end) ? undefined : 'error'}
                style={{ width: 96 }}
                data-testid="targets-end"
              />
            </label>
          </Space>
          {!hoursOk && <Typography.Text type="danger">{t('targets.badHours')}</Typography.Text>}
        </Card>
        {rows.length === 0 && <Empty description={t('targets.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        {rows.map((r, i) => (
          <Card
            key={r.type}
            size="small"
            title={typeName(t, lang, r.type, defs)}
            data-testid={`target-${r.type}`}
            extra={
              lead && (
                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={t('targets.remove')} />
              )
            }
          >
            <div className="target-grid">
              {minutes(t('targets.fr'), r.fr, (v) => set(i, { fr: v }), `fr-${r.type}`)}
              {minutes(t('targets.res'), r.res, (v) => set(i, { res: v }), `res-${r.type}`)}
              {minutes(t('targets.remind'), r.remind, (v) => set(i, { remind: v }), `remind-${r.type}`)}
              <label className="target-field">
                <span>{t('targets.escalate')}</span>
                <Switch checked={r.escalate} disabled={!lead} onChange={(v) => set(i, { escalate: v })} data-testid={`escalate-${r.type}`} />
              </label>
            </div>
          </Card>
        ))}
        {lead && (
          <Space wrap>
            {left.length > 0 && (
              <Select<TargetType>
                placeholder={t('targets.add')}
                value={null}
                style={{ width: 200 }}
                aria-label={t('targets.add')}
                data-testid="targets-add"
                suffixIcon={<PlusOutlined />}
                options={left.map((x) => ({ value: x, label: typeName(t, lang, x, defs) }))}
                onChange={(x) => setRows([...rows, { type: x, fr: null, res: null, remind: null, escalate: false }])}
              />
            )}
            <Button type="primary" onClick={save} loading={busy} disabled={!hoursOk} data-testid="targets-save">
              {t('targets.save')}
            </Button>
          </Space>
        )}
      </Space>
    </div>
  );
}
