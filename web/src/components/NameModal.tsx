import { Alert, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../lib/api';
import { useApp } from '../lib/app';
import { NAME_MAX } from '../lib/people';
import ErrorMessage, { fieldErrors } from './ErrorMessage';

/**
 * One name asked in a dialog (a person's display name, a shop's name): required, at most 64
 * characters; `onSave` is the request, whose refusal is shown on the field or under it.
 */
export default function NameModal({
  open,
  title,
  label,
  initial,
  okText,
  field,
  onSave,
  onClose,
  testid,
}: {
  open: boolean;
  title: string;
  label: string;
  initial?: string;
  okText?: string;
  /** the field the server names in its errors */
  field: string;
  onSave: (name: string) => Promise<unknown>;
  onClose: () => void;
  testid: string;
}) {
  const { t, lang } = useApp();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  useEffect(() => {
    if (open) setErr(null);
  }, [open]);

  const submit = async ({ name }: { name: string }) => {
    setBusy(true);
    setErr(null);
    try {
      await onSave(name.trim());
      onClose();
    } catch (e) {
      // a refusal naming the field (a taken shop name) shows on it
      if (e instanceof ApiError && e.field === field) form.setFields([{ name: 'name', errors: fieldErrors(e, lang) }]);
      else setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      okText={okText ?? t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': `${testid}-ok` } as Record<string, string>}
      afterOpenChange={(o) => o && form.focusField('name')}
      destroyOnHidden
      maskClosable={false}
    >
      {/* remounted at each opening (destroyOnHidden): starts from `initial`, without the last error */}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ name: initial ?? '' }} data-testid={testid}>
        <Form.Item
          name="name"
          label={label}
          rules={[
            { required: true, whitespace: true, message: t('people.form.required', { field: label }) },
            { max: NAME_MAX, message: t('people.form.tooLong', { max: NAME_MAX }) },
          ]}
        >
          <Input maxLength={NAME_MAX} autoComplete="off" onPressEnter={() => form.submit()} />
        </Form.Item>
        {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} role="alert" />}
      </Form>
    </Modal>
  );
}
