import { Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import EvidenceUpload from '../pages/collab/EvidenceUpload';
import { useApp } from '../lib/app';
import type { PlaceholderSource } from '../lib/quickreplies';
import QuickReplyPicker, { useQuickReplyTarget } from './QuickReplyPicker';
import { useUsers } from '../lib/users';

export type DialogKind = 'transfer' | 'assign' | 'note' | 'chase' | 'complete' | 'wait_buyer' | 'reopen' | 'cancel';

export interface DialogValues {
  to?: string;
  reason?: string;
  text?: string;
  /** note: the uploaded files to attach with it */
  attachment_ids?: string[];
}

/** One modal for every action that needs input: handler picker, reason, text. */
export default function ActionDialog({
  kind,
  open,
  busy,
  excludeId,
  onOk,
  onClose,
  title,
  withFiles,
  workorder,
}: {
  kind: DialogKind;
  open: boolean;
  busy?: boolean;
  excludeId?: string | null;
  onOk: (v: DialogValues) => void;
  onClose: () => void;
  title?: string;
  /** note: offer an upload (a collaborative case takes files as evidence instead) */
  withFiles?: boolean;
  /** the work order a note or a transfer reason is about: fills a quick reply's placeholders */
  workorder?: PlaceholderSource | null;
}) {
  const { t, user } = useApp();
  const users = useUsers();
  const [form] = Form.useForm<DialogValues>();
  const [files, setFiles] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const needsUser = kind === 'transfer' || kind === 'assign';
  const textField = kind === 'note' || kind === 'chase' || kind === 'complete' || kind === 'wait_buyer' ? 'text' : kind === 'transfer' || kind === 'reopen' || kind === 'cancel' ? 'reason' : null;
  // a note may be files alone
  const textRequired = (kind === 'note' && files.length === 0) || kind === 'transfer';
  const label = textField === 'reason' ? t('dlg.reason') : t('dlg.text');
  // quick replies (快捷短语) go into a note and a transfer reason
  const target = useQuickReplyTarget(form, textField ?? 'text');
  const withReplies = kind === 'note' || kind === 'transfer';

  return (
    <Modal
      open={open}
      title={title ?? t(`act.${kind}`)}
      okText={t('act.confirm')}
      cancelText={t('act.cancelBtn')}
      confirmLoading={busy || uploading}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => onOk(kind === 'note' ? { ...v, attachment_ids: files } : v)} requiredMark={false} data-testid={`dialog-${kind}`}>
        {needsUser && (
          <Form.Item name="to" label={kind === 'assign' ? t('dlg.assignTo') : t('dlg.to')} rules={[{ required: true, message: t('dlg.pickHandler') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('dlg.pickHandler')}
              aria-label={t('dlg.pickHandler')}
              data-testid="handler-picker"
              options={users
                .filter((u) => u.id !== excludeId)
                .map((u) => ({ value: u.id, label: `${u.display_name}（${u.username} · ${t(`role.${u.role}`)}）${u.id === user?.id ? ' ★' : ''}` }))}
            />
          </Form.Item>
        )}
        {textField && (
          <Form.Item label={`${label}${textRequired ? '' : t('dlg.optional')}`} required={false}>
            {withReplies && (
              <div className="quickreply-bar">
                <QuickReplyPicker workorder={workorder} onInsert={target.insert} />
              </div>
            )}
            <Form.Item
              name={textField}
              noStyle
              rules={textRequired ? [{ required: true, whitespace: true, message: kind === 'transfer' ? t('dlg.reasonRequired') : t('dlg.textRequired') }] : []}
            >
              <Input.TextArea ref={target.ref} rows={3} maxLength={2000} showCount aria-label={label} />
            </Form.Item>
          </Form.Item>
        )}
        {kind === 'note' && withFiles && (
          <Form.Item label={t('att.title')}>
            <EvidenceUpload onChange={setFiles} onBusy={setUploading} hint={t('att.hint')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
