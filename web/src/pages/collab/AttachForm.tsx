import { App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { post } from '../../lib/api';
import { useApp } from '../../lib/app';
import type { WorkOrder } from '../../lib/types';
import EvidenceUpload from './EvidenceUpload';
import type { Run } from './ReplyForm';
import { confirmFinal } from './confirmFinal';

/** The shop's 补充凭证 (more evidence, a description optional) and 申诉 (an appeal, its reason required): a text and files. */
export default function AttachForm({ wo, run, kind }: { wo: WorkOrder; run: Run; kind: 'appeal' | 'evidence' }) {
  const { t } = useApp();
  const { modal } = App.useApp();
  const [ids, setIds] = useState<string[]>([]);
  const field = kind === 'appeal' ? 'reason' : 'description';
  const submit = async (v: Record<string, string | undefined>) => {
    // an appeal can be made once, and is never changed; added evidence is never removed
    const ok = await confirmFinal(modal, t, {
      title: t(kind === 'appeal' ? 'collab.confirmAppealTitle' : 'collab.confirmEvidenceTitle'),
      warning: t(kind === 'appeal' ? 'collab.confirmAppealWarning' : 'collab.confirmEvidenceWarning'),
      lines: [
        [kind === 'appeal' ? t('collab.appealReason') : t('collab.description'), v[field]?.trim() || '—'],
        [t('collab.evidence'), t('collab.fileCount', { n: ids.length })],
      ],
    });
    if (ok) await run((ver) => post(`/workorders/{id}/${kind}`, { params: { id: wo.id }, body: { ...v, attachment_ids: ids }, ifMatch: ver }));
  };
  return (
    <Card size="small" title={t(`act.${kind}`)} data-testid={`${kind}-form`}>
      <Form layout="vertical" onFinish={submit}>
        <Form.Item
          name={field}
          label={kind === 'appeal' ? t('collab.appealReason') : t('collab.description')}
          rules={kind === 'appeal' ? [{ required: true, whitespace: true, message: t('collab.required') }] : []}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label={t('collab.evidence')}>
          <EvidenceUpload onChange={setIds} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t(`act.${kind}`)}
        </Button>
      </Form>
    </Card>
  );
}
