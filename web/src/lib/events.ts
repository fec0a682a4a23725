import { ruleName } from './assignment';
import { formatTime } from './format';
import { keyIn, translate, type Lang } from './i18n';
import { DEFAULT_REPLY_OPTIONS } from './replyRules';
import type { WoEvent } from './types';

function name(v: unknown): string {
  if (v && typeof v === 'object' && 'display_name' in v) return String((v as { display_name: unknown }).display_name);
  if (v === null || v === undefined || v === '') return '—';
  return String(v);
}

function stateName(lang: Lang, v: unknown): string {
  if (typeof v !== 'string') return name(v);
  const k = keyIn('state.', v);
  return k ? translate(lang, k) : v;
}

/** A code's words (`remedy.refund` → 仅退款); null for a code this workbench does not know, which is then left out rather than shown raw. */
function known(lang: Lang, prefix: string, v: unknown): string | null {
  if (typeof v !== 'string' || !v) return null;
  const k = keyIn(prefix, v);
  return k ? translate(lang, k) : null;
}

/** The names of the files an event brought (data.attachments), or null. */
function fileNames(d: Record<string, unknown>): string | null {
  const list = d.attachments;
  if (!Array.isArray(list) || list.length === 0) return null;
  return list.map((a) => String((a as { filename?: unknown })?.filename ?? '')).join('、');
}

/** One line of the timeline, in words. Collaborative steps say which way they went (the option, the outcome, the decision);
 * an event that brought files names them. */
export function describeEvent(ev: WoEvent, lang: Lang): string {
  const d = ev.data ?? {};
  const names = fileNames(d);
  if (ev.kind === 'attached') return translate(lang, 'ev.attached', { names: names ?? '' });
  const base = describeEventText(ev, lang);
  return names ? base + translate(lang, 'ev.withFiles', { names }) : base;
}

function describeEventText(ev: WoEvent, lang: Lang): string {
  const d = ev.data ?? {};
  switch (ev.kind) {
    case 'created':
      return translate(lang, 'ev.created');
    case 'assigned':
      // placed by an assignment rule (docs/assignment.md): the rule is named
      return d.rule
        ? translate(lang, 'ev.assignedByRule', { to: name(d.to_name ?? d.to), rule: ruleName(lang, d.rule, d.rule_kind) })
        : translate(lang, 'ev.assigned', { to: name(d.to_name ?? d.to) });
    case 'assignment_failed':
      return translate(lang, 'ev.assignment_failed', {
        rule: ruleName(lang, d.rule, d.rule_kind),
        reason: known(lang, 'ev.assignFail.', d.reason) ?? translate(lang, 'ev.other'),
      });
    case 'transferred':
      return translate(lang, 'ev.transferred', { from: name(d.from_name ?? d.from), to: name(d.to_name ?? d.to), reason: name(d.reason) });
    case 'noted':
      return translate(lang, 'ev.noted', { text: name(d.text) });
    case 'chased':
      return translate(lang, 'ev.chased', { text: d.text ? `：${String(d.text)}` : '' });
    case 'state_changed': {
      const base = translate(lang, 'ev.state_changed', { from: stateName(lang, d.from), to: stateName(lang, d.to) });
      const extra = (d.text ?? d.reason ?? '') as string;
      return extra ? `${base}：${extra}` : base;
    }
    case 'deadline_changed':
      return translate(lang, 'ev.deadline_changed', {
        from: typeof d.from === 'string' ? formatTime(d.from) : '—',
        to: typeof d.to === 'string' ? formatTime(d.to) : '—',
      });
    case 'edited': {
      const parts: string[] = [];
      if (typeof d.title_to === 'string') parts.push(`「${String(d.title_from ?? '')}」→「${d.title_to}」`);
      if (typeof d.priority_to === 'string') parts.push(`${known(lang, 'prio.', d.priority_from) ?? '—'} → ${known(lang, 'prio.', d.priority_to) ?? d.priority_to}`);
      if ('deadline_to' in d)
        parts.push(
          translate(lang, 'ev.deadline_changed', {
            from: typeof d.deadline_from === 'string' ? formatTime(d.deadline_from) : '—',
            to: typeof d.deadline_to === 'string' ? formatTime(d.deadline_to) : '—',
          }),
        );
      const base = translate(lang, 'ev.edited');
      return parts.length ? `${base}：${parts.join('；')}` : base;
    }
    case 'reminded':
    case 'overdue':
      return translate(lang, `ev.${ev.kind}`);
    case 'replied': {
      const o = DEFAULT_REPLY_OPTIONS.find((x) => x.code === d.option);
      const base = o ? translate(lang, 'ev.repliedAs', { option: lang === 'zh' ? o.label_zh : o.label_en }) : translate(lang, 'ev.replied');
      return typeof d.description === 'string' && d.description ? `${base}${lang === 'zh' ? '，' : ', '}${d.description}` : base;
    }
    case 'evidence_added':
      return typeof d.evidence === 'number' ? translate(lang, 'ev.evidenceCount', { n: d.evidence }) : translate(lang, 'ev.evidence_added');
    case 'verified': {
      const r = known(lang, 'collab.', d.result);
      const base = r ? translate(lang, 'ev.verifiedAs', { result: r }) : translate(lang, 'ev.verified');
      return typeof d.remark === 'string' && d.remark ? `${base}${lang === 'zh' ? '，' : ', '}${d.remark}` : base;
    }
    case 'judged': {
      const outcome = known(lang, 'outcome.', d.outcome);
      if (!outcome) return translate(lang, 'ev.judged');
      const remedy = known(lang, 'remedy.', d.remedy);
      return translate(lang, 'ev.judgedAs', { outcome: remedy ? `${outcome} · ${remedy}` : outcome, liable: known(lang, 'liable.', d.liable_party) ?? '—' });
    }
    case 'appealed':
      return typeof d.reason === 'string' && d.reason ? translate(lang, 'ev.appealedAs', { reason: d.reason }) : translate(lang, 'ev.appealed');
    case 'appeal_decided': {
      const r = known(lang, 'collab.', typeof d.decision === 'string' ? `${d.decision}Long` : null);
      const base = r ? translate(lang, 'ev.appealDecidedAs', { decision: r }) : translate(lang, 'ev.appeal_decided');
      return typeof d.remark === 'string' && d.remark ? `${base}${lang === 'zh' ? '，' : ', '}${d.remark}` : base;
    }
    case 'seller_timeout':
      return translate(lang, 'ev.seller_timeout');
    case 'finalized':
      return translate(lang, d.reason === 'appeal_window_passed' ? 'ev.finalizedWindow' : 'ev.finalized');
    case 'target_reminded':
    case 'target_missed': {
      // which target, and when it is (was) due; the rule is the work order's type, shown on the page
      const params = { target: known(lang, 'target.', d.target) ?? '—', due: typeof d.due_at === 'string' ? formatTime(d.due_at) : '—' };
      if (ev.kind === 'target_reminded') return translate(lang, 'ev.targetReminded', params);
      const base = translate(lang, 'ev.targetMissed', params);
      return d.moved_to === 'lead_queue' ? base + translate(lang, 'ev.targetToQueue') : base;
    }
    default: {
      // kinds added later: their name if this workbench knows it, else a plain "updated"; only text a
      // person wrote is shown after it, never a code
      const txt = d.text ?? d.remark ?? d.description;
      const label = known(lang, 'ev.', ev.kind) ?? translate(lang, 'ev.other');
      const extra = typeof txt === 'string' && txt ? txt : typeof d.to === 'string' ? known(lang, 'state.', d.to) : null;
      return `${label}${extra ? `：${extra}` : ''}`;
    }
  }
}

export function eventColor(kind: string): string {
  switch (kind) {
    case 'overdue':
    case 'target_missed':
    case 'assignment_failed':
      return 'red';
    case 'state_changed':
      return 'green';
    case 'transferred':
    case 'assigned':
      return 'blue';
    case 'chased':
    case 'reminded':
    case 'target_reminded':
      return 'orange';
    default:
      return 'gray';
  }
}
