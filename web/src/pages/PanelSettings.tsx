import { Alert, App, Button, Card, Form, Select, Space, Tag, Typography } from 'antd';
import { KeyOutlined, SaveOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import ErrorMessage from '../components/ErrorMessage';
import PageSpin from '../components/PageSpin';
import { get, post, put } from '../lib/api';
import { isLead, useApp } from '../lib/app';
import NotFound from './NotFound';

interface Settings {
  origins: string[];
  has_secret: boolean;
}

/** 聊天侧边栏设置 (docs/panel.md), for the shop's owner and leads: the origins that may frame /panel, and a new
 * link-signing secret, shown this once. Both changes are in the owner's 操作记录. */
export default function PanelSettings() {
  const { t, lang, user } = useApp();
  const { message, modal } = App.useApp();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [origins, setOrigins] = useState<string[]>([]);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [saveErr, setSaveErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const lead = isLead(user);

  useEffect(() => {
    if (!lead) return;
    get('/panel/settings')
      .then((s) => {
        setSettings(s);
        setOrigins(s.origins);
      })
      .catch(setLoadErr);
  }, [lead]);

  if (!lead) return <NotFound />;
  if (loadErr) return <Alert type="error" showIcon role="alert" title={<ErrorMessage error={loadErr} lang={lang} />} />;
  if (!settings) return <PageSpin />;

  const save = async () => {
    setBusy(true);
    setSaveErr(null);
    try {
      const s = await put('/panel/settings', { body: { origins: origins.map((o) => o.trim()).filter(Boolean) } });
      setSettings(s);
      setOrigins(s.origins);
      message.success(t('panelSettings.saved'));
    } catch (e) {
      setSaveErr(e);
    } finally {
      setBusy(false);
    }
  };

  const rotate = () =>
    modal.confirm({
      title: t('panelSettings.newSecretAsk'),
      content: t('panelSettings.newSecretWarn'),
      okText: t('panelSettings.newSecret'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        post('/panel/secret')
          .then((r) => {
            setSecret(r.secret);
            setSettings((s) => (s ? { ...s, has_secret: true } : s));
          })
          .catch((e) => message.error(<ErrorMessage error={e} lang={lang} />)),
    });

  return (
    <div className="panel-settings">
      <h1 className="page-title">{t('panelSettings.title')}</h1>
      <Typography.Paragraph type="secondary">{t('panelSettings.intro')}</Typography.Paragraph>
      <Card size="small" title={t('panelSettings.origins')} style={{ marginBottom: 16 }}>
        <Form layout="vertical" onFinish={save}>
          <Form.Item
            extra={t('panelSettings.originsHelp')}
            validateStatus={saveErr ? 'error' : undefined}
            help={saveErr ? <ErrorMessage error={saveErr} lang={lang} /> : undefined}
          >
            <Select
              mode="tags"
              value={origins}
              onChange={(v: string[]) => setOrigins(v)}
              tokenSeparators={[' ', ',', '，']}
              open={false}
              suffixIcon={null}
              placeholder={t('panelSettings.originsPlaceholder')}
              aria-label={t('panelSettings.origins')}
              data-testid="panel-origins"
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="panel-origins-save">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
      <Card size="small" title={t('panelSettings.secret')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>
            <Tag color={settings.has_secret ? 'green' : 'default'} data-testid="panel-secret-state">
              {settings.has_secret ? t('panelSettings.hasSecret') : t('panelSettings.noSecret')}
            </Tag>
          </span>
          <Typography.Text type="secondary">{t('panelSettings.secretHelp')}</Typography.Text>
          {secret && (
            <Alert
              type="warning"
              showIcon
              title={t('panelSettings.secretOnce')}
              description={
                <Typography.Text
                  code
                  copyable={{ tooltips: [t('panelSettings.copy'), t('people.pw.copied')] }}
                  data-testid="panel-secret"
                  style={{ wordBreak: 'break-all' }}
                >
                  {secret}
                </Typography.Text>
              }
            />
          )}
          <Button icon={<KeyOutlined />} onClick={rotate} data-testid="panel-secret-new">
            {t('panelSettings.newSecret')}
          </Button>
        </Space>
      </Card>
    </div>
  );
}
