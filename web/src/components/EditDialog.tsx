import { DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs from 'dayjs';
import { useApp } from '../lib/app';
import { toRfc3339 } from '../lib/format';
import { PRIORITIES, type Priority, type WorkOrder } from '../lib/types';

/** What 编辑 sends (PATCH /workorders/{id}). */
export interface EditBody {
  title: string;
  content: string;
  priority: Priority;
  deadline: string | null;
}

/**
 * 编辑: a work order's title, content, priority and deadline, filled in from the work order as it
 * is when the dialog opens (WorkorderDetail mounts it anew for each opening). Its own chunk, loaded
 * the first time it opens: the work order page's first render draws no hidden form and loads no
 * date picker.
 */
export default function EditDialog({
  wo,
  open,
  busy,
  onSave,
  onClose,
}: {
  wo: WorkOrder;
  open: boolean;
  busy: boolean;
  onSave: (body: EditBody) => void;
  onClose: () => void;
}) {
  const { t } = useApp();
  const [form] = Form.useForm();
  return (
    <Modal
      open={open}
      title={t('act.edit')}
      okText={t('act.confirm')}
      cancelText={t('act.cancelBtn')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ title: wo.title, content: wo.content, priority: wo.priority, deadline: wo.deadline ? dayjs(wo.deadline) : null }}
        onFinish={(v: { title: string; content: string; priority: Priority; deadline: dayjs.Dayjs | null }) =>
          onSave({ title: v.title, content: v.content, priority: v.priority, deadline: v.deadline ? toRfc3339(v.deadline.toDate()) : null })
        }
      >
        <Form.Item name="title" label={t('create.titleField')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="content" label={t('create.content')}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <Form.Item name="priority" label={t('create.priority')}>
          <Select options={PRIORITIES.map((p) => ({ value: p, label: t(`prio.${p}`) }))} />
        </Form.Item>
        <Form.Item name="deadline" label={t('create.deadline')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
