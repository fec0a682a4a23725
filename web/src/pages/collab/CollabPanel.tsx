import CheckCircleFilled from '@ant-design/icons-svg/es/asn/CheckCircleFilled';
import InfoCircleFilled from '@ant-design/icons-svg/es/asn/InfoCircleFilled';
import { useEffect, useRef, useState } from 'react';
import AttachmentList from '../../components/Attachments';
import { Countdown, deadlineLabel } from '../../components/bits';
import Facts, { type Fact } from '../../components/Facts';
import PlainButton from '../../components/PlainButton';
import PlainCard from '../../components/PlainCard';
import PlainIcon from '../../components/PlainIcon';
import { AntdZone, loadAntdRoot } from '../../lib/antdZone';
import { useApp } from '../../lib/app';
import { chunk } from '../../lib/chunk';
import { formatTime } from '../../lib/format';
import { valueLabel } from '../../lib/i18n';
import { logFailure } from '../../lib/logFailure';
import { knownRules, loadRules } from '../../lib/rules';
import type { Attachment, Collab, Rules, WoDetail, WorkOrder } from '../../lib/types';
import { isWide, useWide } from '../../lib/wide';
import type { CaseStep } from './CaseForms';
import type { Run } from './ReplyForm';

// The collaborative part of a work order page. What it shows (the case's facts, the countdown, the reply,
// evidence, verification, intervention, judgement and appeal blocks) is plain elements in antd's look
// (components/PlainCard, Facts), and a step's form (antd's Form and its fields, CaseForms.tsx) is a chunk of
// its own: a wide screen draws it at once (prepare loads it with the panel), a phone when it is first opened,
// so a case on a phone runs no antd until a person acts on it (docs/decisions.md, "A case's panel evaluates
// no antd"; issue 13).

// with antd's providers, so that once it is here the form is drawn at once (and can take the focus)
const forms = chunk(() => Promise.all([import('./CaseForms'), loadAntdRoot()]).then(([m]) => m));
const STEPS: CaseStep[] = ['reply', 'evidence', 'appeal', 'verify', 'judge', 'decide_appeal'];

/**
 * What a case's panel draws from other chunks, loaded before it is first drawn (drawn later, they would
 * move the cards below): on a wide screen the step forms. A phone's case needs nothing more (its files are
 * plain tiles, components/Attachments.tsx).
 */
export async function preparePanel(d: WoDetail): Promise<void> {
  const steps = (d.allowed_actions ?? []).some((a) => STEPS.includes(a as CaseStep));
  if (steps && isWide()) await forms.load();
}

/** Evidence: image thumbnails that open in the page, PDFs in a dialog (components/Attachments). */
function Files({ list }: { list?: Attachment[] }) {
  return <AttachmentList list={list} testId="evidence-thumb" />;
}

/**
 * A step's form: drawn at once on a wide screen; on a phone a card of the same title with a button that
 * loads and opens it (its files were fetched at idle with antd's, lib/antdZone.tsx's prefetchAntd).
 */
function StepForm({ step, wo, rules, run }: { step: CaseStep; wo: WorkOrder; rules: Rules | null; run: Run }) {
  const { t } = useApp();
  const wide = useWide();
  // open for good once open: a passing change of width (a full-page screenshot measures the page at another
  // size for a moment) must not close the form and lose what was typed
  const [opened, setOpened] = useState(isWide);
  const [pressed, setPressed] = useState(false);
  useEffect(() => {
    if (wide) setOpened(true);
  }, [wide]);
  const Forms = forms.use(opened);
  const box = useRef<HTMLDivElement>(null);
  // opened with the button: the form's first field takes the focus the button had
  useEffect(() => {
    if (pressed && Forms) box.current?.querySelector<HTMLElement>('input, textarea')?.focus();
  }, [pressed, Forms]);
  if (!Forms || !opened) {
    const open = () => {
      setPressed(true);
      setOpened(true);
    };
    return (
      <PlainCard title={t(step === 'reply' ? 'collab.reply' : `act.${step}`)} testid={`${step}-closed`}>
        <PlainButton variant="primary" loading={pressed} onClick={open} data-testid={`open-${step}`}>
          {t('collab.openForm')}
        </PlainButton>
      </PlainCard>
    );
  }
  return (
    <div ref={box}>
      <AntdZone>
        <Forms.default step={step} wo={wo} rules={rules} run={run} />
      </AntdZone>
    </div>
  );
}

/** The alert antd draws with an icon, a title and a description (styles.css, .palert). */
function Banner({ type, title, description, testid }: { type: 'success' | 'info'; title: string; description: string; testid: string }) {
  return (
    <div role="alert" className={`palert palert-${type} collab-block`} data-testid={testid}>
      <PlainIcon icon={type === 'success' ? CheckCircleFilled : InfoCircleFilled} />
      <div className="palert-section">
        <div className="palert-title">{title}</div>
        <div className="palert-description">{description}</div>
      </div>
    </div>
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

  const facts: Fact[] = [
    { key: 'category', label: t('collab.category'), value: c.category ?? '—' },
    { key: 'complaint', label: t('collab.complaint'), value: c.complaint ?? '—' },
    { key: 'remedy', label: t('collab.remedy'), value: c.remedy ? t(`remedy.${c.remedy}`) : '—' },
  ];
  if (c.due_at && state !== 'awaiting_seller') facts.push({ key: 'due', label: deadlineLabel(t, 'collab', state), value: formatTime(c.due_at) });

  return (
    // antd's vertical Space of 16, each card in a box of its own
    <div className="pstack">
      <div>
        <PlainCard title={t('collab.title')} testid="collab-panel">
          {state === 'awaiting_seller' && replyDue && (
            <div style={{ marginBottom: 12 }}>
              <span className="ptext-secondary">{t('collab.replyIn')}</span>
              <div>
                <Countdown deadline={replyDue} big />
              </div>
              <span className="ptext-secondary">
                {t('collab.replyDue')}
                {colon}
                {formatTime(replyDue)}
              </span>
            </div>
          )}
          <Facts columns={1} items={facts} />
          {c.reply && (
            <Facts
              bordered
              className="collab-block"
              title={t('collab.reply')}
              items={[
                {
                  key: 'option',
                  label: t('collab.replyOption'),
                  value: replyOpt ? (lang === 'zh' ? replyOpt.label_zh : replyOpt.label_en) : c.reply.option,
                },
                { key: 'description', label: t('collab.description'), value: c.reply.description || '—' },
                { key: 'contact', label: t('collab.contactAt'), value: formatTime(c.reply.contact_at) },
                { key: 'evidence', label: t('collab.evidence'), value: <Files list={c.reply.evidence} /> },
              ]}
            />
          )}
          {(c.evidence?.length ?? 0) > 0 && (
            <Facts
              bordered
              className="collab-block"
              title={t('act.evidence')}
              items={[{ key: 'evidence', label: t('collab.evidence'), value: <Files list={c.evidence} /> }]}
            />
          )}
          {c.verification && (
            <Facts
              bordered
              className="collab-block"
              title={t('act.verify')}
              items={[
                { key: 'result', label: t('collab.verifyResult'), value: t(`collab.${c.verification.result}`) },
                { key: 'remark', label: t('collab.remark'), value: c.verification.remark || '—' },
              ]}
            />
          )}
          {c.intervention && (
            <Facts
              bordered
              className="collab-block"
              title={t('state.intervention')}
              items={[
                {
                  key: 'reason',
                  label: t('dlg.reason'),
                  value: c.intervention.reason ? valueLabel(t, 'collab.reason.', c.intervention.reason) : '—',
                },
                { key: 'at', label: t('collab.interventionAt'), value: formatTime(c.intervention.at) },
              ]}
            />
          )}
          {c.judgement && decision && (
            <Banner
              type={decision === 'overturned' ? 'success' : 'info'}
              testid="appeal-outcome"
              title={t(decision === 'overturned' ? 'collab.overturnedBanner' : 'collab.upheldBanner')}
              description={t(decision === 'overturned' ? 'collab.overturnedBannerMore' : 'collab.upheldBannerMore')}
            />
          )}
          {c.judgement && (
            <Facts
              bordered
              className="collab-block"
              title={t(decision === 'overturned' ? 'collab.judgementOverturned' : 'collab.judgement')}
              testid="judgement"
              items={[
                {
                  key: 'outcome',
                  label: t('collab.outcome'),
                  value: (
                    <span>
                      {decision === 'overturned' ? (
                        <del>
                          <OutcomeText j={c.judgement} />
                        </del>
                      ) : (
                        <OutcomeText j={c.judgement} />
                      )}
                    </span>
                  ),
                },
                ...(c.judgement.judge ? [{ key: 'judge', label: t('collab.judge'), value: c.judgement.judge.display_name }] : []),
                { key: 'liable', label: t('collab.liable'), value: c.judgement.liable_party ? t(`liable.${c.judgement.liable_party}`) : '—' },
                { key: 'reasoning', label: t('collab.reasoning'), value: c.judgement.reasoning },
                { key: 'rule', label: t('collab.rule'), value: c.judgement.rule_article },
              ]}
            />
          )}
          {c.appeal && (
            <Facts
              bordered
              className="collab-block"
              title={t('collab.appeal')}
              items={[
                { key: 'reason', label: t('collab.appealReason'), value: c.appeal.reason },
                { key: 'evidence', label: t('collab.evidence'), value: <Files list={c.appeal.evidence} /> },
                {
                  key: 'decision',
                  label: t('collab.decision'),
                  value: c.appeal.decision ? t(`collab.${c.appeal.decision}Long`) : t('collab.undecided'),
                },
                ...(c.appeal.remark ? [{ key: 'remark', label: t('collab.remark'), value: c.appeal.remark }] : []),
              ]}
            />
          )}
        </PlainCard>
      </div>
      {STEPS.filter((s) => allowed.has(s)).map((s) => (
        <div key={s}>
          <StepForm step={s} wo={wo} rules={rules} run={run} />
        </div>
      ))}
    </div>
  );
}

/** A judgement's outcome and remedy, as the text nodes antd's Typography drew (the same glyphs to the pixel). */
function OutcomeText({ j }: { j: NonNullable<Collab['judgement']> }) {
  const { t } = useApp();
  return (
    <>
      {t(`outcome.${j.outcome}`)} {j.remedy ? `· ${t(`remedy.${j.remedy}`)}` : ''}
    </>
  );
}
