import { Alert, Button, Card, Form, Input, Space } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import ErrorMessage from '../components/ErrorMessage';
import { useApp } from '../lib/app';

export default function Login() {
  const { user, login, t, lang, setLang } = useApp();
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const nav = useNavigate();
  const loc = useLocation();
  const from = (loc.state as { from?: string } | null)?.from ?? '/';
  if (user) return <Navigate to={from === '/login' ? '/' : from} replace />;

  return (
    <main className="center-screen" style={{ background: 'linear-gradient(135deg,#e6f0ff,#f5f7fa)', padding: 16 }}>
      <Card style={{ width: 380, maxWidth: '100%' }} title={<span style={{ fontSize: 18 }}>{t('login.title')}</span>}
        extra={
          <Button size="small" icon={<TranslationOutlined />} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} aria-label={t('app.langSwitch')}>
            {t('app.lang')}
          </Button>
        }
      >
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={async (v: { username: string; password: string }) => {
            setBusy(true);
            setErr(null);
            try {
              await login(v.username.trim(), v.password);
              nav(from === '/login' ? '/' : from, { replace: true });
            } catch (e) {
              setErr(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}>
            <Input autoComplete="username" autoFocus id="username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}>
            <Input.Password autoComplete="current-password" id="password" />
          </Form.Item>
          {err != null && (
            <Form.Item>
              <Alert type="error" title={<ErrorMessage error={err} lang={lang} />} showIcon role="alert" />
            </Form.Item>
          )}
          <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Space>
        </Form>
      </Card>
    </main>
  );
}
