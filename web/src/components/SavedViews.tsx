import { App, Button, Checkbox, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { Body } from '../lib/api';
import { isLead, useApp } from '../lib/app';
import { valueLabel } from '../lib/i18n';
import {
  countLabel,
  deleteFilter,
  filterPath,
  filterQuery,
  isShowing,
  refreshSavedFilters,
  saveFilter,
  SAVEDFILTER_NAME_MAX,
  useSavedFilters,
} from '../lib/savedFilters';
import ErrorMessage, { showOnField } from './ErrorMessage';

interface FormValues {
  name: string;
  shared?: boolean;
}

/** 保存的筛选 above a list: this list's saved filters with their live counts (a click opens one), and 保存筛选,
 * which keeps the list's current filter under a name (a lead may share it with the shop). */
export default function SavedViews({ view }: { view: string }) {
  const { t, lang, user } = useApp();
  const { message, modal } = App.useApp();
  const nav = useNavigate();
  const [sp] = useSearchParams();
  const all = useSavedFilters(true);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [form] = Form.useForm<FormValues>();
  const mine = (all ?? []).filter((f) => f.view === view);

  const save = async (v: FormValues) => {
    setBusy(true);
    setErr(null);
    try {
      // a shop's list (the platform's have no saved filters): one of the views a filter may keep
      await saveFilter({ name: v.name.trim(), view: view as Body<'post', '/savedfilters'>['view'], query: filterQuery(sp), shared: !!v.shared });
      message.success(t('saved.done', { name: v.name.trim() }));
      setOpen(false);
      refreshSavedFilters(true);
    } catch (e) {
      if (!showOnField(form, e, ['name'], lang)) setErr(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = (id: string, name: string) =>
    modal.confirm({
      title: t('saved.deleteAsk', { name }),
      okText: t('saved.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        deleteFilter(id)
          .then(() => refreshSavedFilters(true))
          .catch((e) => message.error(<ErrorMessage error={e} lang={lang} />)),
    });

  return (
    <div className="saved-views" data-testid="saved-views">
      <Space size={[6, 6]} wrap>
        <Typography.Text type="secondary">{t('saved.title')}</Typography.Text>
        {mine.map((f) => {
          const active = isShowing(f, view, sp);
          const n = countLabel(f);
          return (
            <Tag
              key={f.id}
              color={active ? 'blue' : undefined}
              closable={f.can_manage}
              closeIcon={f.can_manage ? undefined : false}
              onClose={(e) => {
                e.preventDefault();
                remove(f.id, f.name);
              }}
              className="saved-view-tag"
              data-testid="saved-view"
              data-count={f.count ?? ''}
            >
              <a
                href={filterPath(f)}
                onClick={(e) => {
                  e.preventDefault();
                  nav(filterPath(f));
                }}
                aria-current={active ? 'page' : undefined}
              >
                {f.name}
                {f.shared && <span className="saved-view-shared">{t('saved.sharedMark')}</span>}
                {n && <b className="saved-view-count">{n}</b>}
              </a>
            </Tag>
          );
        })}
        {all !== null && mine.length === 0 && <Typography.Text type="secondary">{t('saved.none')}</Typography.Text>}
        <Button
          size="small"
          icon={<SaveOutlined />}
          onClick={() => {
            form.resetFields();
            setErr(null);
            setOpen(true);
          }}
          data-testid="save-filter"
        >
          {t('saved.save')}
        </Button>
      </Space>
      <Modal
        open={open}
        title={t('saved.save')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        forceRender
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
    </div>
  );
}
