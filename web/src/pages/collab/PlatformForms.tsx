import { App, Button, Card, Form, Input, Radio, Select } from 'antd';
import { post, type Body } from '../../lib/api';
import { useApp } from '../../lib/app';
import { outcomeChoices } from '../../lib/replyRules';
import { valueLabel } from '../../lib/i18n';
import { LIABLE_PARTIES, type AppealDecision, type Rules, type VerifyResult, type WorkOrder } from '../../lib/types';
import type { Run } from './ReplyForm';
import { confirmFinal } from './confirmFinal';

/** A platform decision between two answers with an optional remark, asked once more before it is sent: 核实 and
 * 申诉复核 differ only in their words and the step they go to. */
function ChoiceForm<C extends string>({
  title,
  testid,
  field,
  label,
  choices,
  confirmTitle,
  warning,
  run,
  send,
}: {
  title: string;
  testid: string;
  /** the form's field for the choice (the step's own name for it) */
  field: string;
  label: string;
  choices: { value: C; label: string }[];
  confirmTitle: string;
  warning: (choice: C) => string;
  run: Run;
  send: (choice: C, remark: string | undefined) => (version: number) => Promise<unknown>;
}) {
  const { t } = useApp();
  const { modal } = App.useApp();
  const submit = async (v: Record<string, string | undefined>) => {
    const choice = v[field] as C;
    const ok = await confirmFinal(modal, t, {
      title: confirmTitle,
      warning: warning(choice),
      lines: [
        [label, choices.find((c) => c.value === choice)?.label ?? choice],
        [t('collab.remark'), v.remark?.trim() || '—'],
      ],
    });
    if (ok) await run(send(choice, v.remark));
  };
  return (
    <Card size="small" title={title} data-testid={testid}>
      <Form layout="vertical" onFinish={submit}>
        <Form.Item name={field} label={label} rules={[{ required: true, message: t('collab.required') }]}>
          <Radio.Group options={choices} />
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

export function VerifyForm({ wo, run }: { wo: WorkOrder; run: Run }) {
  const { t } = useApp();
  return (
    <ChoiceForm<VerifyResult>
      title={t('act.verify')}
      testid="verify-form"
      field="result"
      label={t('collab.verifyResult')}
      choices={[
        { value: 'verified', label: t('collab.verified') },
        { value: 'rejected', label: t('collab.rejected') },
      ]}
      confirmTitle={t('collab.confirmVerifyTitle')}
      warning={(r) => t(r === 'verified' ? 'collab.confirmVerifiedWarning' : 'collab.confirmRejectedWarning')}
      run={run}
      send={(result, remark) => (ver) => post('/workorders/{id}/verify', { params: { id: wo.id }, body: { result, remark }, ifMatch: ver })}
    />
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
  return (
    <ChoiceForm<AppealDecision>
      title={t('act.decide_appeal')}
      testid="decide-form"
      field="decision"
      label={t('collab.decision')}
      choices={[
        { value: 'upheld', label: t('collab.upheldLong') },
        { value: 'overturned', label: t('collab.overturnedLong') },
      ]}
      confirmTitle={t('collab.confirmDecideTitle')}
      warning={(d) => t(d === 'overturned' ? 'collab.confirmOverturnWarning' : 'collab.confirmUpholdWarning')}
      run={run}
      send={(decision, remark) => (ver) => post('/workorders/{id}/decide_appeal', { params: { id: wo.id }, body: { decision, remark }, ifMatch: ver })}
    />
  );
}
