import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Result, Space, Table, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import PageSpin from '../../components/PageSpin';
import { api } from '../../lib/api';
import ErrorMessage from '../../components/ErrorMessage';
import { useApp } from '../../lib/app';
import { loadRules } from '../../lib/rules';
import type { ReplyOption, Rules } from '../../lib/types';

const REQS = ['description', 'evidence', 'contact_at'];

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
      const saved = await api<Rules>('PUT', '/rules', { body: next });
      setRules(saved);
      setJson(JSON.stringify(saved, null, 2));
      loadRules(true).catch(() => undefined);
      message.success(t('rules.saved', { v: saved.version }));
    } catch (e) {
      message.error(<ErrorMessage error={e} lang={lang} />, 6);
    } finally {
      setBusy(false);
    }
  };

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
                  <Form.Item label={t('rules.replyWindow')}>
                    <InputNumber min={1} max={720} value={rules.reply_window_hours} onChange={(v) => setRules({ ...rules, reply_window_hours: Number(v) })} />
                  </Form.Item>
                  <Table<ReplyOption>
                    rowKey="code"
                    size="small"
                    pagination={false}
                    dataSource={rules.reply_options ?? []}
                    scroll={{ x: 640 }}
                    columns={[
                      { title: 'code', dataIndex: 'code', width: 120 },
                      { title: '中文', dataIndex: 'label_zh', render: (v: string, o) => <Input value={v} onChange={(e) => setOption(o.code, { label_zh: e.target.value })} /> },
                      { title: 'English', dataIndex: 'label_en', render: (v: string, o) => <Input value={v} onChange={(e) => setOption(o.code, { label_en: e.target.value })} /> },
                      {
                        title: t('rules.requires'),
                        dataIndex: 'requires',
                        render: (v: string[], o) => (
                          <Checkbox.Group value={v} options={REQS.map((r) => ({ value: r, label: t(`req.${r}`) }))} onChange={(vals) => setOption(o.code, { requires: vals as string[] })} />
                        ),
                      },
                    ]}
                  />
                  {canEdit && (
                    <Button type="primary" loading={busy} onClick={() => save(rules)} style={{ marginTop: 12 }}>
                      {t('rules.save')}
                    </Button>
                  )}
                </Form>
              ),
            },
            {
              key: 'json',
              label: t('rules.json'),
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Input.TextArea value={json} onChange={(e) => setJson(e.target.value)} rows={20} style={{ fontFamily: 'monospace' }} readOnly={!canEdit} aria-label={t('rules.json')} />
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
