import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useApp } from '../lib/app';
import { changeMyPassword, PASSWORD_MAX, PASSWORD_MIN } from '../lib/people';
import ErrorMessage, { showOnField } from './ErrorMessage';

interface Values {
  current_password: string;
  new_password: string;
  confirm: string;
}

const bytes = (s: string) => new TextEncoder().encode(s).length;

/** One's own new password (POST /me/password): the current one, the new one twice. */
export default function PasswordForm({ currentLabel, submitText, onDone }: { currentLabel?: string; submitText: string; onDone: () => void }) {
  const { t, lang } = useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      await changeMyPassword(v.current_password, v.new_password);
      form.resetFields();
      onDone();
    } catch (e) {
      if (!showOnField(form, e, ['current_password', 'new_password'], lang)) setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="password-form" style={{ maxWidth: 420 }}>
      <Form.Item
        name="current_password"
        label={currentLabel ?? t('account.current')}
        rules={[{ required: true, message: t('people.form.required', { field: currentLabel ?? t('account.current') }) }]}
      >
        <Input.Password autoComplete="current-password" data-testid="pw-current" />
      </Form.Item>
      <Form.Item
        name="new_password"
        label={t('account.new')}
        extra={t('account.pwRule', { min: PASSWORD_MIN, max: PASSWORD_MAX })}
        dependencies={['current_password']}
        rules={[
          { required: true, message: t('people.form.required', { field: t('account.new') }) },
          {
            validator: async (_, v: string | undefined) => {
              if (v && (bytes(v) < PASSWORD_MIN || bytes(v) > PASSWORD_MAX)) throw new Error(t('account.pwRule', { min: PASSWORD_MIN, max: PASSWORD_MAX }));
              if (v && v === form.getFieldValue('current_password')) throw new Error(t('account.pwSame'));
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pw-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('account.confirm')}
        dependencies={['new_password']}
        rules={[
          { required: true, message: t('people.form.required', { field: t('account.confirm') }) },
          {
            validator: async (_, v: string | undefined) => {
              if (v && v !== form.getFieldValue('new_password')) throw new Error(t('account.mismatch'));
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
      </Form.Item>
      {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} role="alert" style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" loading={busy} data-testid="pw-submit">
        {submitText}
      </Button>
    </Form>
  );
}
