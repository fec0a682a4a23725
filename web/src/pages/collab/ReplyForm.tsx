import { Alert, Button, Card, DatePicker, Form, Input, Radio, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { post } from '../../lib/api';
import { useApp } from '../../lib/app';
import { toRfc3339 } from '../../lib/format';
import { replyOptions, requiredFields, validateReply } from '../../lib/replyRules';
import type { Rules, WorkOrder } from '../../lib/types';
import EvidenceUpload from './EvidenceUpload';

export type Run = (fn: (version: number) => Promise<unknown>) => Promise<boolean>;

/** The seller's reply: the chosen option decides which fields are required (from the rules API). */
export default function ReplyForm({ wo, rules, run }: { wo: WorkOrder; rules: Rules | null; run: Run }) {
  const { t, lang } = useApp();
  const [form] = Form.useForm();
  const [ids, setIds] = useState<string[]>([]);
  const [evidenceErr, setEvidenceErr] = useState<string | null>(null);
  const option: string | undefined = Form.useWatch('option', form);
  const req = requiredFields(rules, option);
  const opts = replyOptions(rules);

  const submit = async (v: { option: string; description?: string; contact_at?: Dayjs | null }) => {
    const values = { option: v.option, description: v.description, contact_at: v.contact_at ? toRfc3339(v.contact_at.toDate()) : null, attachment_ids: ids };
    const errs = validateReply(values, rules, wo.created_at, Date.now());
    setEvidenceErr(errs.evidence ? t('collab.required') : null);
    const fields = (['description', 'contact_at'] as const)
      .filter((k) => errs[k])
      .map((k) => ({ name: k, errors: [errs[k] === 'required' ? t('collab.required') : t('collab.contactAfter')] }));
    if (fields.length) form.setFields(fields);
    if (Object.keys(errs).length) return;
    await run((ver) => post(`/workorders/${wo.id}/reply`, values, { ifMatch: ver }));
  };

  return (
    <Card size="small" title={t('collab.reply')} data-testid="reply-form">
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="option" label={t('collab.replyOption')} rules={[{ required: true, message: t('collab.required') }]}>
          <Radio.Group>
            <Space orientation="vertical">
              {opts.map((o) => (
                <Radio key={o.code} value={o.code} data-testid={`opt-${o.code}`}>
                  {lang === 'zh' ? o.label_zh : o.label_en}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="description" label={t('collab.description')} required={req.has('description')}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item
          name="contact_at"
          label={t('collab.contactAt')}
          required={req.has('contact_at')}
          extra={t('collab.contactAfter')}
        >
          <DatePicker
            showTime={{ format: 'HH:mm:ss' }}
            format="YYYY-MM-DD HH:mm:ss"
            id="contact-at"
            disabledDate={(d) => d.isBefore(dayjs(wo.created_at), 'day') || d.isAfter(dayjs(), 'day')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item label={t('collab.evidence')} required={req.has('evidence')} validateStatus={evidenceErr ? 'error' : undefined} help={evidenceErr ?? undefined}>
          <EvidenceUpload onChange={setIds} />
        </Form.Item>
        {!rules && <Alert type="info" showIcon title={t('collab.notAvailable')} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" data-testid="reply-submit">
          {t('collab.submitReply')}
        </Button>
      </Form>
    </Card>
  );
}
