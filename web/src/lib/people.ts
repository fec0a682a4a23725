// People and shops (docs/people.md): the requests of the 人员管理, 我的账户 and 店铺与平台人员 pages.
import { useEffect, useState } from 'react';
import { get, patch, post } from './api';
import type { AuditEvent, Role, Shop, User } from './types';
import { useLatest } from './latest';
import { logFailure } from './logFailure';
import { resetUsers } from './users';

/** a person as the people pages list them (GET /users) */
export type Member = User;
export type { AuditEvent, Shop };

export const SHOP_ROLES: Role[] = ['shop_owner', 'shop_lead', 'shop_agent'];
export const PLATFORM_ROLES: Role[] = ['platform_admin', 'platform_supervisor', 'platform_agent'];

/** The roles `actor` may give in a list of shop people (shopScoped) or of platform staff (docs/permissions.md). */
export function assignableRoles(actor: Role, shopScoped: boolean): Role[] {
  if (actor === 'platform_admin') return shopScoped ? SHOP_ROLES : PLATFORM_ROLES;
  if (actor === 'shop_owner') return SHOP_ROLES;
  if (actor === 'shop_lead') return ['shop_lead', 'shop_agent'];
  return [];
}

// the server bounds (docs/people.md)
export const NAME_MAX = 64;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const USERNAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/;

/** A one-time password for a new user or a reset: 12 characters without look-alikes (0/O, 1/l/I). */
export function oneTimePassword(): string {
  const abc = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => abc[b % abc.length]).join('');
}

// the shop's people, or platform staff (platform admin without a shop), or one shop's (with shopId)
export const listMembers = (shopId?: string | null) => get('/users', { query: { shop_id: shopId } }).then((r) => r.items);

const changed = <T>(p: Promise<T>) => p.then((v) => (resetUsers(), v)); // the handler pickers read /users too

export const createMember = (body: { username: string; display_name: string; role: Role; password: string; shop_id?: string }) =>
  changed(post('/users', { body }));
export const patchMember = (id: string, body: { display_name?: string; role?: Role; active?: boolean }) =>
  changed(patch('/users/{id}', { params: { id }, body }));
export const resetPassword = (id: string, password: string) => post('/users/{id}/password', { params: { id }, body: { password } });

export const renameMe = (display_name: string) => changed(patch('/me', { body: { display_name } }));
export const changeMyPassword = (current_password: string, new_password: string) => post('/me/password', { body: { current_password, new_password } });

export const listShops = () => get('/shops').then((r) => r.items);
export const createShop = (name: string) => post('/shops', { body: { name } });
export const patchShop = (id: string, body: { name?: string; active?: boolean }) => patch('/shops/{id}', { params: { id }, body });

export const listAudit = (params: { limit?: number; before?: string; shop_id?: string }) => get('/audit', { query: params });

const REASSIGN_PAGE = 100;

/**
 * How many work orders wait in 待重新分配: the list has no total, so one page of up to 100 is
 * counted (100 means 100 or more; `more` says so). Asked again when `key` changes.
 */
export function useReassignCount(enabled: boolean, key: unknown): { n: number; more: boolean } | null {
  const [c, setC] = useState<{ n: number; more: boolean } | null>(null);
  const latest = useLatest();
  useEffect(() => {
    if (!enabled) return;
    latest(get('/workorders', { query: { view: 'reassign', limit: REASSIGN_PAGE } })).then(
      (r) => setC({ n: r.items.length, more: !!r.next_cursor }),
      (e) => logFailure('the 待重新分配 count (the badge keeps its last number)', e),
    );
  }, [enabled, key, latest]);
  return c;
}
