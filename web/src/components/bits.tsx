import { useLang, useNow } from '../lib/app';
import { countdown } from '../lib/format';
import { keyIn, type Translate } from '../lib/i18n';
import { typeName, useWorkorderTypes } from '../lib/workorderTypes';
import type { Priority, State, WorkorderType, WorkorderTypeDef } from '../lib/types';

// A state's or a priority's tag: a plain span in antd's Tag look (styles.css, .wo-tag), since a list draws
// one per row and antd's Tag is a component of some 20 hooks each (issue 13: the first render on a phone).
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
  const { t } = useLang();
  return (
    <span className={`wo-tag wo-tag-${stateColor[state] ?? 'default'}`} data-state={state}>
      {t(`state.${state}`)}
    </span>
  );
}

const prioColor: Record<string, string> = { low: 'default', normal: 'blue', high: 'orange', urgent: 'red' };

export function PriorityTag({ p }: { p: Priority }) {
  const { t } = useLang();
  return <span className={`wo-tag wo-tag-${prioColor[p] ?? 'default'}`}>{t(`prio.${p}`)}</span>;
}

export function TypeLabel({ type }: { type: WorkorderType }) {
  const [defs] = useWorkorderTypes();
  return <TypeName type={type} defs={defs} />;
}

/** A type's name (and its colour, for a shop's own types) from definitions the caller has: a list asks
 * for them once, not once per row. */
export function TypeName({ type, defs }: { type: WorkorderType; defs: WorkorderTypeDef[] }) {
  const { t, lang } = useLang();
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
  const { lang, t } = useLang();
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
