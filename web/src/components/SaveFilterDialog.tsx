import { App, Checkbox, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Body } from '../lib/api';
import { isLead, useApp } from '../lib/app';
import { valueLabel } from '../lib/i18n';
import { filterQuery, refreshSavedFilters, saveFilter, SAVEDFILTER_NAME_MAX } from '../lib/savedFilters';
import ErrorMessage, { showOnField } from './ErrorMessage';

interface FormValues {
  name: string;
  shared?: boolean;
}

/** 保存筛选: keeps the list's current filter under a name (a lead may share it with the shop). Mounted
 * (and its chunk loaded) when opened, so the list's first render draws no hidden dialog and form. */
export default function SaveFilterDialog({ view, onClose }: { view: string; onClose: () => void }) {
  const { t, lang, user } = useApp();
  const { message } = App.useApp();
  const [sp] = useSearchParams();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [form] = Form.useForm<FormValues>();

  const save = async (v: FormValues) => {
    setBusy(true);
    setErr(null);
    try {
      // a shop's list (the platform's have no saved filters): one of the views a filter may keep
      await saveFilter({ name: v.name.trim(), view: view as Body<'post', '/savedfilters'>['view'], query: filterQuery(sp), shared: !!v.shared });
      message.success(t('saved.done', { name: v.name.trim() }));
      onClose();
      refreshSavedFilters(true);
    } catch (e) {
      if (!showOnField(form, e, ['name'], lang)) setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('saved.save')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical" onFinish={save} requiredMark={false} data-testid="save-filter-form">
        <Typography.Paragraph type="secondary">{t('saved.what', { view: valueLabel(t, 'view.', view) })}</Typography.Paragraph>
        <Form.Item
          name="name"
          label={t('saved.name')}
          rules={[
            { required: true, whitespace: true, message: t('saved.nameRequired') },
            { max: SAVEDFILTER_NAME_MAX, message: t('saved.nameMax', { n: SAVEDFILTER_NAME_MAX }) },
          ]}
        >
          <Input maxLength={SAVEDFILTER_NAME_MAX} showCount autoFocus />
        </Form.Item>
        {isLead(user) && (
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox data-testid="save-filter-shared">{t('saved.shared')}</Checkbox>
          </Form.Item>
        )}
        {err != null && <ErrorMessage error={err} lang={lang} />}
      </Form>
    </Modal>
  );
}
