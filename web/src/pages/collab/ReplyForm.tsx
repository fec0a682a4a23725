import { Alert, App, Button, Card, DatePicker, Form, Input, Radio, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { post, type Body } from '../../lib/api';
import { useApp } from '../../lib/app';
import { formatTime, toRfc3339 } from '../../lib/format';
import { replyOptions, requiredFields, validateReply } from '../../lib/replyRules';
import type { Rules, WorkOrder } from '../../lib/types';
import { confirmFinal } from './confirmFinal';
import EvidenceUpload from './EvidenceUpload';
import QuickReplyPicker, { useQuickReplyTarget } from '../../components/QuickReplyPicker';

export type Run = (fn: (version: number) => Promise<unknown>) => Promise<boolean>;

/** The seller's reply: the chosen option decides which fields are required (from the rules API). */
export default function ReplyForm({ wo, rules, run }: { wo: WorkOrder; rules: Rules | null; run: Run }) {
  const { t, lang } = useApp();
  const { modal } = App.useApp();
  const [form] = Form.useForm();
  const target = useQuickReplyTarget(form, 'description');
  const [ids, setIds] = useState<string[]>([]);
  const [evidenceErr, setEvidenceErr] = useState<string | null>(null);
  const option: string | undefined = Form.useWatch('option', form);
  const req = requiredFields(rules, option);
  const opts = replyOptions(rules);
  const errText = {
    required: t('collab.required'),
    before_created: t('collab.contactBefore', { t: formatTime(wo.created_at) }),
    in_future: t('collab.contactFuture'),
  };

  // An error found on submit lasts until its field changes (a new option changes what is required, so it clears all).
  const onValuesChange = (changed: Record<string, unknown>) => {
    const names = 'option' in changed ? ['description', 'contact_at'] : Object.keys(changed);
    form.setFields(names.map((name) => ({ name, errors: [] })));
    if ('option' in changed) setEvidenceErr(null);
  };
  const onFiles = (next: string[]) => {
    setIds(next);
    if (next.length) setEvidenceErr(null);
  };

  // the options are the platform rules' codes, which the contract lists
  const submit = async (v: { option: Body<'post', '/workorders/{id}/reply'>['option']; description?: string; contact_at?: Dayjs | null }) => {
    const values = { option: v.option, description: v.description, contact_at: v.contact_at ? toRfc3339(v.contact_at.toDate()) : null, attachment_ids: ids };
    const errs = validateReply(values, rules, wo.created_at, Date.now());
    setEvidenceErr(errs.evidence ? t('collab.required') : null);
    const fields = (['description', 'contact_at'] as const).filter((k) => errs[k]).map((k) => ({ name: k, errors: [errText[errs[k]!]] }));
    if (fields.length) form.setFields(fields);
    if (Object.keys(errs).length) return;
    const o = opts.find((x) => x.code === v.option);
    const ok = await confirmFinal(modal, t, {
      title: t('collab.confirmReplyTitle'),
      warning: t('collab.confirmReplyWarning'),
      lines: [
        [t('collab.replyOption'), (o && (lang === 'zh' ? o.label_zh : o.label_en)) ?? v.option],
        [t('collab.description'), v.description?.trim() || '—'],
        [t('collab.contactAt'), values.contact_at ? formatTime(values.contact_at) : '—'],
        [t('collab.evidence'), t('collab.fileCount', { n: ids.length })],
      ],
    });
    if (!ok) return;
    await run((ver) => post('/workorders/{id}/reply', { params: { id: wo.id }, body: values, ifMatch: ver }));
  };

  return (
    <Card size="small" title={t('collab.reply')} data-testid="reply-form">
      <Form form={form} layout="vertical" onFinish={submit} onValuesChange={onValuesChange}>
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
        <Form.Item label={t('collab.description')} required={req.has('description')}>
          <div className="quickreply-bar">
            <QuickReplyPicker workorder={wo} onInsert={target.insert} testId="quickreply-picker-reply" />
          </div>
          <Form.Item name="description" noStyle>
            <Input.TextArea ref={target.ref} rows={3} maxLength={2000} showCount aria-label={t('collab.description')} />
          </Form.Item>
        </Form.Item>
        <Form.Item
          name="contact_at"
          label={t('collab.contactAt')}
          required={req.has('contact_at')}
          extra={t('collab.contactHint', { t: formatTime(wo.created_at) })}
        >
          <DatePicker
            showTime={{ format: 'HH:mm:ss' }}
            format="YYYY-MM-DD HH:mm:ss"
            id="contact-at"
            disabledDate={(d) => d.isBefore(dayjs(wo.created_at), 'day') || d.isAfter(dayjs(), 'day')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item
          label={t('collab.evidence')}
          required={req.has('evidence')}
          validateStatus={evidenceErr ? 'error' : undefined}
          help={evidenceErr ?? undefined}
        >
          <EvidenceUpload onChange={onFiles} />
        </Form.Item>
        {!rules && <Alert type="info" showIcon title={t('collab.notAvailable')} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" data-testid="reply-submit">
          {t('collab.submitReply')}
        </Button>
      </Form>
    </Card>
  );
}
