import { Alert, App, Button, Card, Checkbox, Empty, Form, Input, InputNumber, Result, Select, Space, Table, Tabs, Tag } from 'antd';
import { useEffect, useState } from 'react';
import PageSpin from '../../components/PageSpin';
import { get, put } from '../../lib/api';
import { useLatest } from '../../lib/latest';
import { logFailure } from '../../lib/logFailure';
import { fieldLabel } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { checkRules, diffRules, MAX_REMINDERS, reminders } from '../../lib/rulesForm';
import ErrorMessage from '../../components/ErrorMessage';
import { useApp } from '../../lib/app';
import { loadRules } from '../../lib/rules';
import type { ReplyOption, ReplyRequirement, Rules } from '../../lib/types';

const REQS: ReplyRequirement[] = ['description', 'evidence', 'contact_at'];

/** Earlier versions, read-only, compared with the one in force (GET /rules?version=N). */
function History({ current }: { current: Rules }) {
  const { t, lang } = useApp();
  const latest = Number(current.version);
  const [pick, setPick] = useState<number>(latest > 1 ? latest - 1 : latest);
  const [old, setOld] = useState<Rules | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const latestVersion = useLatest();
  useEffect(() => {
    setErr(null);
    latestVersion(get('/rules', { query: { version: pick } })).then(setOld, setErr);
  }, [pick, latestVersion]);
  const diff = old ? diffRules(old, current) : [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="rules-history">
      <Space wrap>
        <span>{t('rules.compareVersion')}</span>
        <Select
          value={pick}
          style={{ width: 200 }}
          aria-label={t('rules.compareVersion')}
          data-testid="rules-version-pick"
          options={Array.from({ length: latest }, (_, i) => latest - i).map((v) => ({
            value: v,
            label: v === latest ? t('rules.versionCurrent', { v }) : t('rules.versionN', { v }),
          }))}
          onChange={setPick}
        />
        {old?.created_at != null && <span>{t('rules.savedAt', { t: formatTime(String(old.created_at)) })}</span>}
      </Space>
      {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} />}
      {old &&
        (diff.length === 0 ? (
          <Empty description={t('rules.noDiff')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Table
            size="small"
            rowKey="field"
            pagination={false}
            dataSource={diff}
            data-testid="rules-diff"
            columns={[
              { title: t('rules.field'), dataIndex: 'field', width: 180, render: (f: string) => fieldLabel(f) },
              { title: t('rules.versionN', { v: pick }), dataIndex: 'from', render: (v: string) => <code className="rules-json">{v}</code> },
              { title: t('rules.versionCurrent', { v: latest }), dataIndex: 'to', render: (v: string) => <code className="rules-json">{v}</code> },
            ]}
          />
        ))}
    </Space>
  );
}

/** Platform rules: versioned; a save creates a new version (PUT /rules, platform_admin only). */
export default function RulesEditor() {
  const { t, lang, user } = useApp();
  const { message } = App.useApp();
  const [rules, setRules] = useState<Rules | null | undefined>(undefined);
  const [err, setErr] = useState<unknown>(null);
  const [json, setJson] = useState('');
  const [busy, setBusy] = useState(false);
  const canEdit = user?.role === 'platform_admin';

  useEffect(() => {
    loadRules(true)
      .then((r) => {
        setRules(r);
        setJson(JSON.stringify(r, null, 2));
      })
      .catch((e) => setErr(e));
  }, []);

  if (err != null) return <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} />;
  if (rules === undefined) return <PageSpin />;
  if (rules === null) return <Result status="info" title={t('collab.notAvailable')} />;

  const save = async (next: Rules) => {
    setBusy(true);
    try {
      const saved = await put('/rules', { body: next });
      setRules(saved);
      setJson(JSON.stringify(saved, null, 2));
      loadRules(true).catch((e) => logFailure('reloading the rules the forms use', e));
      message.success(t('rules.saved', { v: saved.version }));
    } catch (e) {
      message.error(<ErrorMessage error={e} lang={lang} />, 6);
    } finally {
      setBusy(false);
    }
  };

  const problems = checkRules(rules);
  const setOption = (code: string, patch: Partial<ReplyOption>) =>
    setRules({ ...rules, reply_options: rules.reply_options.map((o) => (o.code === code ? { ...o, ...patch } : o)) });

  return (
    <div>
      <h1 className="page-title">{t('rules.title')}</h1>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'form',
              label: t('rules.options'),
              children: (
                <Form layout="vertical" disabled={!canEdit}>
                  <Form.Item label={t('rules.version')}>
                    <Input value={String(rules.version)} disabled style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item
                    label={t('rules.replyWindow')}
                    validateStatus={problems.reply_window_hours ? 'error' : undefined}
                    help={problems.reply_window_hours ? t(`rules.err.${problems.reply_window_hours}`) : undefined}
                  >
                    <InputNumber
                      step={1}
                      value={rules.reply_window_hours}
                      onChange={(v) => setRules({ ...rules, reply_window_hours: v === null ? 0 : Number(v) })}
                      data-testid="rules-window"
                    />
                  </Form.Item>
                  <Form.Item
                    label={t('rules.reminders')}
                    extra={t('rules.remindersHint', { n: MAX_REMINDERS })}
                    validateStatus={problems.reminder_offsets_hours ? 'error' : undefined}
                    help={problems.reminder_offsets_hours ? t(`rules.err.${problems.reminder_offsets_hours}`, { n: MAX_REMINDERS }) : undefined}
                  >
                    <Space wrap data-testid="rules-reminders">
                      {reminders(rules).map((h, i) => (
                        <Space.Compact key={i}>
                          <InputNumber
                            step={1}
                            value={h}
                            aria-label={t('rules.reminderN', { n: i + 1 })}
                            onChange={(v) =>
                              setRules({ ...rules, reminder_offsets_hours: reminders(rules).map((x, j) => (j === i ? (v === null ? 0 : Number(v)) : x)) })
                            }
                            style={{ width: 96 }}
                          />
                          <Button
                            aria-label={t('rules.reminderRemove', { n: i + 1 })}
                            onClick={() => setRules({ ...rules, reminder_offsets_hours: reminders(rules).filter((_, j) => j !== i) })}
                          >
                            ×
                          </Button>
                        </Space.Compact>
                      ))}
                      {reminders(rules).length < MAX_REMINDERS && (
                        <Button onClick={() => setRules({ ...rules, reminder_offsets_hours: [...reminders(rules), 1] })} data-testid="rules-reminder-add">
                          {t('rules.reminderAdd')}
                        </Button>
                      )}
                      {reminders(rules).length === 0 && <Tag>{t('rules.noReminders')}</Tag>}
                    </Space>
                  </Form.Item>
                  <Table<ReplyOption>
                    rowKey="code"
                    size="small"
                    pagination={false}
                    dataSource={rules.reply_options ?? []}
                    scroll={{ x: 640 }}
                    columns={[
                      { title: t('rules.code'), dataIndex: 'code', width: 120 },
                      {
                        title: t('rules.labelZh'),
                        dataIndex: 'label_zh',
                        render: (v: string, o) => <Input value={v} onChange={(e) => setOption(o.code, { label_zh: e.target.value })} />,
                      },
                      {
                        title: t('rules.labelEn'),
                        dataIndex: 'label_en',
                        render: (v: string, o) => <Input value={v} onChange={(e) => setOption(o.code, { label_en: e.target.value })} />,
                      },
                      {
                        title: t('rules.requires'),
                        dataIndex: 'requires',
                        render: (v: string[], o) => (
                          <Checkbox.Group
                            value={v}
                            options={REQS.map((r) => ({ value: r, label: t(`req.${r}`) }))}
                            onChange={(vals) => setOption(o.code, { requires: vals as ReplyRequirement[] })}
                          />
                        ),
                      },
                    ]}
                  />
                  {canEdit && (
                    <Button type="primary" loading={busy} disabled={Object.keys(problems).length > 0} onClick={() => save(rules)} style={{ marginTop: 12 }}>
                      {t('rules.save')}
                    </Button>
                  )}
                </Form>
              ),
            },
            {
              key: 'history',
              label: t('rules.history'),
              children: <History key={String(rules.version)} current={rules} />,
            },
            {
              key: 'json',
              label: t('rules.json'),
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Input.TextArea
                    value={json}
                    onChange={(e) => setJson(e.target.value)}
                    rows={20}
                    style={{ fontFamily: 'monospace' }}
                    readOnly={!canEdit}
                    aria-label={t('rules.json')}
                  />
                  {canEdit && (
                    <Button
                      type="primary"
                      loading={busy}
                      onClick={() => {
                        try {
                          save(JSON.parse(json));
                        } catch {
                          message.error(t('rules.badJson'));
                        }
                      }}
                    >
                      {t('rules.save')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
