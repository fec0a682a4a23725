import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import AttachmentList from '../../components/Attachments';
import { Countdown, deadlineLabel } from '../../components/bits';
import { post } from '../../lib/api';
import { useApp } from '../../lib/app';
import { formatTime } from '../../lib/format';
import { valueLabel } from '../../lib/i18n';
import { logFailure } from '../../lib/logFailure';
import { knownRules, loadRules } from '../../lib/rules';
import type { Attachment, Collab, Rules, WoDetail, WorkOrder } from '../../lib/types';
import EvidenceUpload from './EvidenceUpload';
import { DecideAppealForm, JudgeForm, VerifyForm } from './PlatformForms';
import ReplyForm, { type Run } from './ReplyForm';
import { confirmFinal } from './confirmFinal';

/** Evidence: image thumbnails that open in the page, PDFs in a dialog (components/Attachments). */
function Files({ list }: { list?: Attachment[] }) {
  return <AttachmentList list={list} testId="evidence-thumb" />;
}

function AttachForm({ wo, run, kind }: { wo: WorkOrder; run: Run; kind: 'appeal' | 'evidence' }) {
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

/** The collaborative part of a work order page: facts, big reply countdown, and the step forms allowed now. */
export default function CollabPanel({ detail, run }: { detail: WoDetail; run: Run }) {
  const { t, lang } = useApp();
  const [rules, setRules] = useState<Rules | null>(() => knownRules() ?? null);
  useEffect(() => {
    loadRules()
      .then(setRules)
      .catch((e) => {
        // the forms fall back to the platform's default reply options
        setRules(null);
        logFailure('the platform rules', e);
      });
  }, []);
  const wo = detail.workorder;
  const c: Partial<Collab> = wo.collab ?? {};
  const allowed = new Set(detail.allowed_actions ?? []);
  const state = c.state ?? wo.state;
  const replyDue = c.reply_due ?? c.due_at ?? wo.deadline;
  const replyOpt = c.reply ? (rules?.reply_options ?? []).find((o) => o.code === c.reply!.option) : undefined;
  const colon = lang === 'zh' ? '：' : ': ';
  const decision = c.appeal?.decision; // upheld | overturned, once a supervisor decided

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title={t('collab.title')} data-testid="collab-panel">
        {state === 'awaiting_seller' && replyDue && (
          <div style={{ marginBottom: 12 }}>
            <Typography.Text type="secondary">{t('collab.replyIn')}</Typography.Text>
            <div>
              <Countdown deadline={replyDue} big />
            </div>
            <Typography.Text type="secondary">
              {t('collab.replyDue')}
              {colon}
              {formatTime(replyDue)}
            </Typography.Text>
          </div>
        )}
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('collab.category')}>{c.category ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('collab.complaint')}>{c.complaint ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('collab.remedy')}>{c.remedy ? t(`remedy.${c.remedy}`) : '—'}</Descriptions.Item>
          {c.due_at && state !== 'awaiting_seller' && <Descriptions.Item label={deadlineLabel(t, 'collab', state)}>{formatTime(c.due_at)}</Descriptions.Item>}
        </Descriptions>
        {c.reply && (
          <Descriptions size="small" column={1} title={t('collab.reply')} bordered style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('collab.replyOption')}>
              {replyOpt ? (lang === 'zh' ? replyOpt.label_zh : replyOpt.label_en) : c.reply.option}
            </Descriptions.Item>
            <Descriptions.Item label={t('collab.description')}>{c.reply.description || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('collab.contactAt')}>{formatTime(c.reply.contact_at)}</Descriptions.Item>
            <Descriptions.Item label={t('collab.evidence')}>
              <Files list={c.reply.evidence} />
            </Descriptions.Item>
          </Descriptions>
        )}
        {(c.evidence?.length ?? 0) > 0 && (
          <Descriptions size="small" column={1} title={t('act.evidence')} bordered style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('collab.evidence')}>
              <Files list={c.evidence} />
            </Descriptions.Item>
          </Descriptions>
        )}
        {c.verification && (
          <Descriptions size="small" column={1} title={t('act.verify')} bordered style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('collab.verifyResult')}>{t(`collab.${c.verification.result}`)}</Descriptions.Item>
            <Descriptions.Item label={t('collab.remark')}>{c.verification.remark || '—'}</Descriptions.Item>
          </Descriptions>
        )}
        {c.intervention && (
          <Descriptions size="small" column={1} title={t('state.intervention')} bordered style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('dlg.reason')}>
              {c.intervention.reason ? valueLabel(t, 'collab.reason.', c.intervention.reason) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('collab.interventionAt')}>{formatTime(c.intervention.at)}</Descriptions.Item>
          </Descriptions>
        )}
        {c.judgement && decision && (
          <Alert
            type={decision === 'overturned' ? 'success' : 'info'}
            showIcon
            style={{ marginTop: 12 }}
            data-testid="appeal-outcome"
            title={t(decision === 'overturned' ? 'collab.overturnedBanner' : 'collab.upheldBanner')}
            description={t(decision === 'overturned' ? 'collab.overturnedBannerMore' : 'collab.upheldBannerMore')}
          />
        )}
        {c.judgement && (
          <Descriptions
            size="small"
            column={1}
            title={t(decision === 'overturned' ? 'collab.judgementOverturned' : 'collab.judgement')}
            bordered
            style={{ marginTop: 12 }}
            data-testid="judgement"
            className={decision === 'overturned' ? 'judgement-overturned' : undefined}
          >
            <Descriptions.Item label={t('collab.outcome')}>
              <Typography.Text delete={decision === 'overturned'}>
                {t(`outcome.${c.judgement.outcome}`)} {c.judgement.remedy ? `· ${t(`remedy.${c.judgement.remedy}`)}` : ''}
              </Typography.Text>
            </Descriptions.Item>
            {c.judgement.judge && <Descriptions.Item label={t('collab.judge')}>{c.judgement.judge.display_name}</Descriptions.Item>}
            <Descriptions.Item label={t('collab.liable')}>{c.judgement.liable_party ? t(`liable.${c.judgement.liable_party}`) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('collab.reasoning')}>{c.judgement.reasoning}</Descriptions.Item>
            <Descriptions.Item label={t('collab.rule')}>{c.judgement.rule_article}</Descriptions.Item>
          </Descriptions>
        )}
        {c.appeal && (
          <Descriptions size="small" column={1} title={t('collab.appeal')} bordered style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('collab.appealReason')}>{c.appeal.reason}</Descriptions.Item>
            <Descriptions.Item label={t('collab.evidence')}>
              <Files list={c.appeal.evidence} />
            </Descriptions.Item>
            <Descriptions.Item label={t('collab.decision')}>
              {c.appeal.decision ? t(`collab.${c.appeal.decision}Long`) : t('collab.undecided')}
            </Descriptions.Item>
            {c.appeal.remark && <Descriptions.Item label={t('collab.remark')}>{c.appeal.remark}</Descriptions.Item>}
          </Descriptions>
        )}
      </Card>
      {allowed.has('reply') && <ReplyForm wo={wo} rules={rules} run={run} />}
      {allowed.has('evidence') && <AttachForm wo={wo} run={run} kind="evidence" />}
      {allowed.has('appeal') && <AttachForm wo={wo} run={run} kind="appeal" />}
      {allowed.has('verify') && <VerifyForm wo={wo} run={run} />}
      {allowed.has('judge') && <JudgeForm wo={wo} rules={rules} run={run} />}
      {allowed.has('decide_appeal') && <DecideAppealForm wo={wo} run={run} />}
    </Space>
  );
}
