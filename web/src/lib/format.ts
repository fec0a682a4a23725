import { translate, type Lang } from './i18n';

/** Split a duration in ms into its parts (absolute value). */
export function splitDuration(ms: number) {
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return { d, h, m, s };
}

/**
 * A compact human duration: the two largest non-zero units.
 * zh: "1天3小时", "2小时5分", "4分30秒"; en: "1d 3h", "2h 5m", "4m 30s".
 */
export function formatDuration(ms: number, lang: Lang): string {
  const { d, h, m, s } = splitDuration(ms);
  const parts: [number, 'd' | 'h' | 'm' | 's'][] = [
    [d, 'd'],
    [h, 'h'],
    [m, 'm'],
    [s, 's'],
  ];
  const first = parts.findIndex(([v]) => v > 0);
  if (first < 0) return lang === 'zh' ? '0秒' : '0s';
  const shown = parts.slice(first, first + 2).filter(([v], i) => i === 0 || v > 0);
  const sep = lang === 'zh' ? '' : ' ';
  return shown.map(([v, u]) => `${v}${translate(lang, `unit.${u}`)}`).join(sep);
}

export interface Countdown {
  text: string;
  overdue: boolean;
  /** less than an hour left (and not overdue) */
  urgent: boolean;
}

/** The live countdown shown in lists: "剩余 2小时5分" or "已超期 3分10秒". */
export function countdown(deadline: string | null | undefined, now: number, lang: Lang): Countdown {
  if (!deadline) return { text: translate(lang, 'cd.none'), overdue: false, urgent: false };
  const due = Date.parse(deadline);
  if (Number.isNaN(due)) return { text: deadline, overdue: false, urgent: false };
  const left = due - now;
  if (left <= 0) return { text: translate(lang, 'cd.overdue', { d: formatDuration(-left, lang) }), overdue: true, urgent: false };
  return { text: translate(lang, 'cd.left', { d: formatDuration(left, lang) }), overdue: false, urgent: left < 3600_000 };
}

/** Integer minor units (fen) → "¥12.30". */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const neg = fen < 0;
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const y = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}¥${y}.${cents.toString().padStart(2, '0')}`;
}

const pad = (n: number) => n.toString().padStart(2, '0');

/** Local date-time "2026-11-26 16:02" (the browser's zone). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

/** Local date-time with seconds, "2026-11-26 16:02:09" (for things that move by the second, e.g. webhook attempts). */
export function formatTimeSec(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${formatTime(iso)}:${pad(t.getSeconds())}`;
}

/** A seconds figure from the stats API → hours with one decimal, or "—". */
export function secondsToHours(s: number | null | undefined): number | null {
  if (s === null || s === undefined || !Number.isFinite(s)) return null;
  return Math.round((s / 3600) * 10) / 10;
}

export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${(r * 100).toFixed(1)}%`;
}

/** Default deadline per type, in hours (null: no deadline). */
export const DEADLINE_PRESET_HOURS: Record<string, number | null> = {
  order_review: 2,
  shipping: 24,
  waybill: 4,
  out_of_stock: 24,
  after_sales: 48,
  customer_memo: null,
  task_memo: 72,
};

export function presetDeadline(type: string, now: number): Date | null {
  const h = DEADLINE_PRESET_HOURS[type];
  if (h === null || h === undefined) return null;
  return new Date(now + h * 3600_000);
}

/** RFC 3339 with the local offset, e.g. 2026-11-26T18:02:00+08:00. */
export function toRfc3339(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const oa = Math.abs(off);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${sign}${pad(Math.floor(oa / 60))}:${pad(oa % 60)}`;
}

/** YYYY-MM-DD of a date in local time. */
export function ymd(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
