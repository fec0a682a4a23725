import { Tag } from 'antd';
import { useApp, useNow } from '../lib/app';
import { countdown } from '../lib/format';
import { keyIn, type Translate } from '../lib/i18n';
import { typeName, useWorkorderTypes } from '../lib/workorderTypes';
import type { Priority, State, WorkorderType } from '../lib/types';

const stateColor: Record<string, string> = {
  open: 'blue',
  in_progress: 'processing',
  done: 'success',
  cancelled: 'default',
  awaiting_seller: 'orange',
  platform_verify: 'purple',
  intervention: 'red',
  judged: 'magenta',
  appeal_review: 'gold',
  resolved: 'success',
  final: 'default',
  waiting_buyer: 'cyan',
};

export function StateTag({ state }: { state: State }) {
  const { t } = useApp();
  return (
    <Tag color={stateColor[state] ?? 'default'} data-state={state}>
      {t(`state.${state}`)}
    </Tag>
  );
}

const prioColor: Record<string, string> = { low: 'default', normal: 'blue', high: 'orange', urgent: 'red' };

export function PriorityTag({ p }: { p: Priority }) {
  const { t } = useApp();
  return <Tag color={prioColor[p] ?? 'default'}>{t(`prio.${p}`)}</Tag>;
}

export function TypeLabel({ type }: { type: WorkorderType }) {
  const { t, lang } = useApp();
  const [defs] = useWorkorderTypes();
  const color = defs.find((d) => d.key === type)?.color;
  return (
    <span>
      {color ? <span className="type-dot" style={{ background: color }} aria-hidden /> : null}
      {typeName(t, lang, type, defs)}
    </span>
  );
}

/** Live countdown to a deadline; red when overdue (or when the server says so). */
export function Countdown({ deadline, overdue, done, big }: { deadline: string | null; overdue?: boolean; done?: boolean; big?: boolean }) {
  const { lang, t } = useApp();
  const now = useNow(1000);
  if (done) {
    return <span className="countdown">—</span>;
  }
  const c = countdown(deadline, now, lang);
  const isOver = c.overdue || (!!overdue && !!deadline);
  // the server says overdue but this browser's clock is behind: trust the server
  const text = isOver && !c.overdue ? t('view.overdue') : c.text;
  const cls = `${big ? 'big-countdown' : 'countdown'}${isOver ? ' overdue' : c.urgent ? ' urgent' : ''}`;
  return (
    <span className={cls} data-overdue={isOver ? 'true' : 'false'} role="timer" aria-live="off" title={deadline ?? undefined}>
      {text}
    </span>
  );
}

export const FINISHED_STATES = new Set(['done', 'cancelled', 'resolved', 'final']);

/** What a deadline is the deadline of: a collaborative work order's is its current step's (回复截止, 判责截止, 申诉截止 …). */
export function deadlineLabel(t: Translate, type: WorkorderType, state: State): string {
  const k = type === 'collab' ? keyIn('collab.due.', state) : null;
  return k ? t(k) : t('col.deadline');
}
