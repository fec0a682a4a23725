import { useEffect, useState } from 'react';
import { get } from './api';
import { useLatest } from './latest';
import { logFailure } from './logFailure';
import type { User } from './types';

/** a person work can be handed to (GET /users) */
export type ShopUser = User;

let cache: Promise<ShopUser[]> | null = null;

export function loadUsers(force = false): Promise<ShopUser[]> {
  if (!cache || force) {
    cache = get('/users')
      .then((r) => r.items ?? [])
      .catch((e) => {
        cache = null;
        throw e;
      });
  }
  return cache;
}

export function resetUsers() {
  cache = null;
}

export function useUsers(): ShopUser[] {
  const [users, setUsers] = useState<ShopUser[]>([]);
  const latest = useLatest();
  useEffect(() => {
    latest(loadUsers()).then(setUsers, (e) => logFailure('the list of people (the handler pickers stay empty)', e));
  }, [latest]);
  return users;
}
