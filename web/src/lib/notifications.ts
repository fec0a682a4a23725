// The notification centre and group robots (docs/notifications.md): the kinds, the calls the bell's
// page makes, and what the robot form checks before the server does (src/service/robots.c checks
// again and names the field).
import { get, post, put } from './api';
import type { Notification, NotificationKind, Webhook } from './types';

/** Every kind a user may be told of, in the server's order (src/service/notify.c gd_notify_kinds). */
export const NOTIFY_KINDS = [
  'assigned',
  'chased',
  'mentioned',
  'target_due_soon',
  'target_missed',
  'collab_arrived',
  'collab_platform',
  'collab_judged',
] as const satisfies readonly NotificationKind[];

export const NOTIFY_PAGE = 30;

export interface NotificationPage {
  items: Notification[];
  unread: number;
  next_before: string | null;
}

export const listNotifications = (before?: string | null) => get('/notifications', { query: { limit: NOTIFY_PAGE, before } });

/** Marks `ids` read, or every one with `all`; answers what stays unread. */
export const markRead = (ids: string[] | 'all') => post('/notifications/read', { body: ids === 'all' ? { all: true } : { ids } });

export const getPreferences = () => get('/notifications/preferences');
export const putPreferences = (muted: NotificationKind[]) => put('/notifications/preferences', { body: { muted } });

/** The kinds turned off when `kind` is switched to `on`, in the server's order. */
export function toggleMuted(muted: readonly string[], kind: NotificationKind, on: boolean): NotificationKind[] {
  return NOTIFY_KINDS.filter((k) => (k === kind ? !on : muted.includes(k)));
}

export type RobotFormat = 'dingtalk' | 'wecom';
export const ROBOT_SECRET_MAX = 200;

/** Is this endpoint a group robot (the 群机器人 page) rather than a webhook? */
export const isRobot = (h: Pick<Webhook, 'format'>) => h.format === 'dingtalk' || h.format === 'wecom';

/** What is wrong with a robot's URL or secret as typed, or null (the server also checks the address). */
export type RobotProblem = { field: 'url'; rule: 'required' | 'https' | 'long' } | { field: 'secret'; rule: 'required' | 'long' };
export function robotProblem(format: RobotFormat, url: string | undefined, secret: string | undefined): RobotProblem | null {
  const u = (url ?? '').trim();
  if (!u) return { field: 'url', rule: 'required' };
  if (!u.startsWith('https://')) return { field: 'url', rule: 'https' };
  if (u.length > 2000) return { field: 'url', rule: 'long' };
  if (format === 'dingtalk') {
    const s = (secret ?? '').trim();
    if (!s) return { field: 'secret', rule: 'required' };
    if (s.length > ROBOT_SECRET_MAX) return { field: 'secret', rule: 'long' };
  }
  return null;
}
