import { formatTime } from './format';
import { translate, type Lang } from './i18n';
import type { WoEvent } from './types';

function name(v: unknown): string {
  if (v && typeof v === 'object' && 'display_name' in v) return String((v as { display_name: unknown }).display_name);
  if (v === null || v === undefined || v === '') return '—';
  return String(v);
}

function stateName(lang: Lang, v: unknown): string {
  if (typeof v !== 'string') return name(v);
  const k = `state.${v}`;
  const s = translate(lang, k);
  return s === k ? v : s;
}

/** One line of the timeline, in words. */
export function describeEvent(ev: WoEvent, lang: Lang): string {
  const d = ev.data ?? {};
  switch (ev.kind) {
    case 'created':
      return translate(lang, 'ev.created');
    case 'assigned':
      return translate(lang, 'ev.assigned', { to: name(d.to_name ?? d.to) });
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
      if (typeof d.priority_to === 'string') parts.push(`${translate(lang, `prio.${String(d.priority_from)}`)} → ${translate(lang, `prio.${d.priority_to}`)}`);
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
    default: {
      // collaborative steps and kinds added later: show the kind and any text
      const txt = (d.text ?? d.remark ?? d.reason ?? d.description ?? '') as string;
      const k = `ev.${ev.kind}`;
      const label = translate(lang, k);
      let extra = typeof txt === 'string' ? txt : '';
      if (!extra && typeof d.to === 'string') extra = stateName(lang, d.to);
      return `${label === k ? ev.kind : label}${extra ? `：${extra}` : ''}`;
    }
  }
}

export function eventColor(kind: string): string {
  switch (kind) {
    case 'overdue':
      return 'red';
    case 'state_changed':
      return 'green';
    case 'transferred':
    case 'assigned':
      return 'blue';
    case 'chased':
    case 'reminded':
      return 'orange';
    default:
      return 'gray';
  }
}
