import { Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Countdown } from '../../components/bits';
import { post } from '../../lib/api';
import { useApp } from '../../lib/app';
import { formatTime } from '../../lib/format';
import { loadRules } from '../../lib/rules';
import type { Attachment, Rules, WoDetail, WorkOrder } from '../../lib/types';
import EvidenceUpload from './EvidenceUpload';
import { DecideAppealForm, JudgeForm, VerifyForm } from './PlatformForms';
import ReplyForm, { type Run } from './ReplyForm';

function Files({ list }: { list?: Attachment[] }) {
  if (!list?.length) return <>—</>;
  return (
    <Space wrap>
      {list.map((a) => (
        <a key={a.id} href={a.url ?? `/api/v1/attachments/${a.id}`} target="_blank" rel="noreferrer">
          {a.filename ?? a.id}
        </a>
      ))}
    </Space>
  );
}

function AttachForm({ wo, run, kind }: { wo: WorkOrder; run: Run; kind: 'appeal' | 'evidence' }) {
  const { t } = useApp();
  const [ids, setIds] = useState<string[]>([]);
  const field = kind === 'appeal' ? 'reason' : 'description';
  return (
    <Card size="small" title={t(`act.${kind}`)} data-testid={`${kind}-form`}>
      <Form layout="vertical" onFinish={(v) => run((ver) => post(`/workorders/${wo.id}/${kind}`, { ...v, attachment_ids: ids }, { ifMatch: ver }))}>
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
  const [rules, setRules] = useState<Rules | null>(null);
  useEffect(() => {
    loadRules()
      .then(setRules)
      .catch(() => setRules(null));
  }, []);
  const wo = detail.workorder;
  const c = wo.collab ?? {};
  const allowed = new Set(detail.allowed_actions ?? []);
  const state = c.state ?? wo.state;
  const replyDue = c.reply_due ?? c.due_at ?? wo.deadline;
  const replyOpt = c.reply ? (rules?.reply_options ?? []).find((o) => o.code === c.reply!.option) : undefined;

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
              {t('collab.replyDue')}: {formatTime(replyDue)}
            </Typography.Text>
          </div>
        )}
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('collab.category')}>{c.category ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('collab.complaint')}>{c.complaint ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('collab.remedy')}>{c.remedy ? t(`remedy.${c.remedy}`) : '—'}</Descriptions.Item>
          {c.due_at && <Descriptions.Item label={t('col.deadline')}>{formatTime(c.due_at)}</Descriptions.Item>}
        </Descriptions>
        {c.reply && (
          <Descriptions size="small" column={1} title={t('collab.reply')} bordered style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('collab.replyOption')}>{replyOpt ? (lang === 'zh' ? replyOpt.label_zh : replyOpt.label_en) : c.reply.option}</Descriptions.Item>
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
            <Descriptions.Item label={t('dlg.reason')}>{c.intervention.reason ? t(`collab.reason.${c.intervention.reason}`) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('col.created')}>{formatTime(c.intervention.at)}</Descriptions.Item>
          </Descriptions>
        )}
        {c.judgement && (
          <Descriptions size="small" column={1} title={t('collab.judgement')} bordered style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('collab.outcome')}>
              {t(`outcome.${c.judgement.outcome}`)} {c.judgement.remedy ? `· ${t(`remedy.${c.judgement.remedy}`)}` : ''}
            </Descriptions.Item>
            {c.judgement.judge && <Descriptions.Item label={t('act.judge')}>{c.judgement.judge.display_name}</Descriptions.Item>}
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
            <Descriptions.Item label={t('collab.decision')}>{c.appeal.decision ? t(`collab.${c.appeal.decision}`) : '—'}</Descriptions.Item>
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
