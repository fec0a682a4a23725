import { App, Button, Card, Form, Input, Radio, Select } from 'antd';
import { post, type Body } from '../../lib/api';
import { useApp } from '../../lib/app';
import { outcomeChoices } from '../../lib/replyRules';
import { valueLabel } from '../../lib/i18n';
import { LIABLE_PARTIES, type AppealDecision, type Rules, type VerifyResult, type WorkOrder } from '../../lib/types';
import type { Run } from './ReplyForm';
import { confirmFinal } from './confirmFinal';

export function VerifyForm({ wo, run }: { wo: WorkOrder; run: Run }) {
  const { t } = useApp();
  const { modal } = App.useApp();
  const submit = async (v: { result: VerifyResult; remark?: string }) => {
    const ok = await confirmFinal(modal, t, {
      title: t('collab.confirmVerifyTitle'),
      warning: t(v.result === 'verified' ? 'collab.confirmVerifiedWarning' : 'collab.confirmRejectedWarning'),
      lines: [
        [t('collab.verifyResult'), t(`collab.${v.result}`)],
        [t('collab.remark'), v.remark?.trim() || '—'],
      ],
    });
    if (ok) await run((ver) => post('/workorders/{id}/verify', { params: { id: wo.id }, body: v, ifMatch: ver }));
  };
  return (
    <Card size="small" title={t('act.verify')} data-testid="verify-form">
      <Form layout="vertical" onFinish={submit}>
        <Form.Item name="result" label={t('collab.verifyResult')} rules={[{ required: true, message: t('collab.required') }]}>
          <Radio.Group
            options={[
              { value: 'verified', label: t('collab.verified') },
              { value: 'rejected', label: t('collab.rejected') },
            ]}
          />
        </Form.Item>
        <Form.Item name="remark" label={t('collab.remark')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('act.confirm')}
        </Button>
      </Form>
    </Card>
  );
}

export function JudgeForm({ wo, rules, run }: { wo: WorkOrder; rules: Rules | null; run: Run }) {
  const { t } = useApp();
  const { modal } = App.useApp();
  const [form] = Form.useForm();
  const choices = outcomeChoices(rules);
  const outcome: string | undefined = Form.useWatch('outcome', form);
  const remedies = choices.find((c) => c.outcome === outcome)?.remedies ?? [];
  const submit = async (v: Body<'post', '/workorders/{id}/judge'>) => {
    const ok = await confirmFinal(modal, t, {
      title: t('collab.confirmJudgeTitle'),
      warning: t('collab.confirmJudgeWarning'),
      lines: [
        [t('collab.outcome'), `${t(`outcome.${v.outcome}`)}${v.remedy ? ` · ${t(`remedy.${v.remedy}`)}` : ''}`],
        [t('collab.liable'), t(`liable.${v.liable_party}`)],
        [t('collab.reasoning'), v.reasoning],
        [t('collab.rule'), v.rule_article],
      ],
    });
    if (ok) await run((ver) => post('/workorders/{id}/judge', { params: { id: wo.id }, body: v, ifMatch: ver }));
  };
  return (
    <Card size="small" title={t('act.judge')} data-testid="judge-form">
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="outcome" label={t('collab.outcome')} rules={[{ required: true, message: t('collab.required') }]}>
          <Radio.Group
            options={choices.map((c) => ({ value: c.outcome, label: valueLabel(t, 'outcome.', c.outcome) }))}
            onChange={() => form.setFieldValue('remedy', undefined)}
          />
        </Form.Item>
        {remedies.length > 0 && (
          <Form.Item name="remedy" label={t('collab.judgedRemedy')} rules={[{ required: true, message: t('collab.required') }]}>
            <Select
              options={remedies.map((r) => ({ value: r, label: valueLabel(t, 'remedy.', r) }))}
              aria-label={t('collab.judgedRemedy')}
              data-testid="remedy-select"
            />
          </Form.Item>
        )}
        <Form.Item name="liable_party" label={t('collab.liable')} rules={[{ required: true, message: t('collab.required') }]}>
          <Radio.Group options={LIABLE_PARTIES.map((p) => ({ value: p, label: t(`liable.${p}`) }))} />
        </Form.Item>
        <Form.Item name="reasoning" label={t('collab.reasoning')} rules={[{ required: true, whitespace: true, message: t('collab.required') }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <Form.Item name="rule_article" label={t('collab.rule')} rules={[{ required: true, whitespace: true, message: t('collab.required') }]}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('act.judge')}
        </Button>
      </Form>
    </Card>
  );
}

export function DecideAppealForm({ wo, run }: { wo: WorkOrder; run: Run }) {
  const { t } = useApp();
  const { modal } = App.useApp();
  const submit = async (v: { decision: AppealDecision; remark?: string }) => {
    const ok = await confirmFinal(modal, t, {
      title: t('collab.confirmDecideTitle'),
      warning: t(v.decision === 'overturned' ? 'collab.confirmOverturnWarning' : 'collab.confirmUpholdWarning'),
      lines: [
        [t('collab.decision'), t(`collab.${v.decision}Long`)],
        [t('collab.remark'), v.remark?.trim() || '—'],
      ],
    });
    if (ok) await run((ver) => post('/workorders/{id}/decide_appeal', { params: { id: wo.id }, body: v, ifMatch: ver }));
  };
  return (
    <Card size="small" title={t('act.decide_appeal')} data-testid="decide-form">
      <Form layout="vertical" onFinish={submit}>
        <Form.Item name="decision" label={t('collab.decision')} rules={[{ required: true, message: t('collab.required') }]}>
          <Radio.Group
            options={[
              { value: 'upheld', label: t('collab.upheldLong') },
              { value: 'overturned', label: t('collab.overturnedLong') },
            ]}
          />
        </Form.Item>
        <Form.Item name="remark" label={t('collab.remark')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('act.confirm')}
        </Button>
      </Form>
    </Card>
  );
}
