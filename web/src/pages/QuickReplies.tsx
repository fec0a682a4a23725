import { Alert, App, Button, Card, Checkbox, Empty, Form, Input, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, MessageOutlined, PlusOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import ErrorMessage, { showOnField } from '../components/ErrorMessage';
import LoadError from '../components/LoadError';
import { loadQuickReplies, resetQuickReplies, useQuickReplyTarget } from '../components/QuickReplyPicker';
import { isLead, isPlatform, useApp } from '../lib/app';
import { useLoaded } from '../lib/loaded';
import {
  canAdd,
  createQuickReply,
  deleteQuickReply,
  PLACEHOLDERS,
  QUICKREPLIES_PERSON_MAX,
  QUICKREPLIES_SHOP_MAX,
  QUICKREPLY_BODY_MAX,
  QUICKREPLY_TITLE_MAX,
  updateQuickReply,
  type QuickReply,
} from '../lib/quickreplies';
import NotFound from './NotFound';

const FIELDS = ['title', 'body', 'shared'] as const;

interface FormValues {
  title: string;
  body: string;
  shared?: boolean;
}

/** 快捷短语: the shop-wide replies (owners and leads manage them) and the reader's own, which the note box, the transfer
 * reason and the collaborative reply insert with their placeholders filled. */
export default function QuickReplies() {
  const { t, lang, user } = useApp();
  const { message } = App.useApp();
  const lead = isLead(user);
  const [editing, setEditing] = useState<QuickReply | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [formErr, setFormErr] = useState<unknown>(null);
  const [form] = Form.useForm<FormValues>();
  const body = useQuickReplyTarget(form, 'body');

  const list = useLoaded(() => loadQuickReplies(true));
  const { value: items, reload: load } = list;
  useEffect(() => {
    if (!isPlatform(user)) void load();
  }, [load, user]);

  if (isPlatform(user)) return <NotFound />;

  const open = (q: QuickReply | 'new', shared = false) => {
    setFormErr(null);
    form.resetFields();
    form.setFieldsValue(q === 'new' ? { title: '', body: '', shared } : { title: q.title, body: q.body, shared: q.shared });
    setEditing(q);
  };

  const submit = async (v: FormValues) => {
    setFormErr(null);
    setBusy(true);
    try {
      if (editing === 'new') await createQuickReply({ title: v.title.trim(), body: v.body, shared: !!v.shared });
      else if (editing) await updateQuickReply(editing.id, { title: v.title.trim(), body: v.body });
      message.success(t(editing === 'new' ? 'qr.added' : 'qr.saved'));
      setEditing(null);
      resetQuickReplies();
      void load();
    } catch (e) {
      // a field error (422 title/body too long; shared: the shop's or the person's limit) goes on its field
      if (!showOnField(form, e, FIELDS, lang)) setFormErr(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (q: QuickReply) => {
    try {
      await deleteQuickReply(q.id);
      message.success(t('qr.deleted'));
      resetQuickReplies();
    } catch (e) {
      message.error(<ErrorMessage error={e} lang={lang} />);
    } finally {
      void load();
    }
  };

  const section = (shared: boolean) => {
    const list = (items ?? []).filter((q) => q.shared === shared);
    const max = shared ? QUICKREPLIES_SHOP_MAX : QUICKREPLIES_PERSON_MAX;
    const mayAdd = !shared || lead;
    const full = items ? !canAdd(items, shared) : false;
    return (
      <Card
        size="small"
        style={{ marginBottom: 12 }}
        data-testid={shared ? 'qr-shared' : 'qr-mine'}
        title={<h2 className="card-title">{t(shared ? 'qr.shared' : 'qr.mine')}</h2>}
        extra={
          <Space size={8} wrap>
            <Typography.Text type="secondary" data-testid={shared ? 'qr-shared-count' : 'qr-mine-count'}>
              {t('qr.count', { n: list.length, max })}
            </Typography.Text>
            {mayAdd && (
              <Button
                size="small"
                type="primary"
                icon={<PlusOutlined />}
                disabled={full}
                onClick={() => open('new', shared)}
                data-testid={shared ? 'qr-add-shared' : 'qr-add-mine'}
              >
                {t('qr.add')}
              </Button>
            )}
          </Space>
        }
      >
        {shared && !lead && <Typography.Paragraph type="secondary">{t('qr.sharedByLeads')}</Typography.Paragraph>}
        {full && <Alert type="info" showIcon title={t(shared ? 'qr.fullShop' : 'qr.fullMine', { max })} style={{ marginBottom: 8 }} />}
        {list.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('qr.empty')} />
        ) : (
          <ul className="quickreply-list">
            {list.map((q) => (
              <li key={q.id} className="quickreply-item" data-testid="qr-item">
                <div className="quickreply-item-head">
                  <Typography.Text strong data-testid="qr-title">
                    {q.title}
                  </Typography.Text>
                  {q.shared && <Tag>{t('qr.sharedTag')}</Tag>}
                  {q.can_manage && (
                    <span className="quickreply-item-actions">
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        onClick={() => open(q)}
                        aria-label={t('qr.editAria', { title: q.title })}
                        data-testid="qr-edit"
                      >
                        {t('qr.edit')}
                      </Button>
                      <Popconfirm
                        title={t('qr.deleteConfirm')}
                        okText={t('qr.delete')}
                        cancelText={t('act.cancelBtn')}
                        okButtonProps={{ danger: true, 'data-testid': 'qr-delete-confirm' }}
                        onConfirm={() => remove(q)}
                      >
                        <Button
                          size="small"
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('qr.deleteAria', { title: q.title })}
                          data-testid="qr-delete"
                        >
                          {t('qr.delete')}
                        </Button>
                      </Popconfirm>
                    </span>
                  )}
                </div>
                <div className="quickreply-item-body" data-testid="qr-body">
                  {q.body}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    );
  };

  return (
    <div>
      <h1 className="page-title">
        <MessageOutlined aria-hidden style={{ marginInlineEnd: 8, color: '#1668dc' }} />
        {t('qr.title')}
      </h1>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 880 }}>
        {t('qr.intro', { ph: PLACEHOLDERS.join(' ') })}
      </Typography.Paragraph>
      <LoadError error={list.error} lang={lang} />
      {list.loading ? (
        <Card loading size="small" />
      ) : (
        <>
          {section(true)}
          {section(false)}
        </>
      )}

      <Modal
        open={editing !== null}
        title={t(editing === 'new' ? 'qr.add' : 'qr.edit')}
        okText={t('qr.save')}
        cancelText={t('act.cancelBtn')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        okButtonProps={{ 'data-testid': 'qr-submit' }}
        maskClosable={false}
        forceRender
      >
        <Form<FormValues> form={form} layout="vertical" onFinish={submit} data-testid="qr-form">
          <Form.Item
            name="title"
            label={t('qr.titleField')}
            rules={[
              { required: true, whitespace: true, message: t('qr.titleRequired') },
              { max: QUICKREPLY_TITLE_MAX, message: t('qr.tooLong', { max: QUICKREPLY_TITLE_MAX }) },
            ]}
          >
            <Input maxLength={QUICKREPLY_TITLE_MAX} showCount autoComplete="off" data-testid="qr-title-input" />
          </Form.Item>
          <Form.Item label={t('qr.bodyField')} required>
            <div className="quickreply-bar">
              <Typography.Text type="secondary">{t('qr.placeholders')}</Typography.Text>
              {PLACEHOLDERS.map((p) => (
                <Button key={p} size="small" onClick={() => body.insert(p)} data-testid="qr-placeholder">
                  {p}
                </Button>
              ))}
            </div>
            <Form.Item
              name="body"
              noStyle
              rules={[
                { required: true, whitespace: true, message: t('qr.bodyRequired') },
                { max: QUICKREPLY_BODY_MAX, message: t('qr.tooLong', { max: QUICKREPLY_BODY_MAX }) },
              ]}
            >
              <Input.TextArea ref={body.ref} rows={5} maxLength={QUICKREPLY_BODY_MAX} showCount aria-label={t('qr.bodyField')} data-testid="qr-body-input" />
            </Form.Item>
          </Form.Item>
          {editing === 'new' && lead && (
            <Form.Item name="shared" valuePropName="checked" extra={t('qr.sharedHint')}>
              <Checkbox data-testid="qr-shared-input">{t('qr.sharedField')}</Checkbox>
            </Form.Item>
          )}
          {formErr != null && <Alert type="error" showIcon title={<ErrorMessage error={formErr} lang={lang} />} role="alert" />}
        </Form>
      </Modal>
    </div>
  );
}
