/**
 * The per-account cross-process lock. Every write to an account (lifecycle and role changes)
 * runs under it and re-reads the account inside it, so concurrent actions never lose each
 * other's changes.
 */
import path from 'node:path';
import type { ConnectionSettings } from '../config.js';
import { fileKey, type LockOptions, withFileLock } from './state-files.js';

/**
 * Runs `task` holding the lock of `username` on this tenant, shared by all processes. `options`
 * may shorten the wait (a caller that polls for something else between attempts) and name the
 * error thrown when the lock stays taken.
 */
export function withAccountLock<T>(
  settings: Pick<ConnectionSettings, 'StateDir' | 'BaseUrl'>,
  username: string,
  task: () => Promise<T>,
  options: Pick<LockOptions, 'waitMs' | 'busy'> = {},
): Promise<T> {
  const key = fileKey(settings.BaseUrl.toLowerCase(), username.toLowerCase());
  const file = path.join(settings.StateDir, 'locks', `${key}.lock`);
  return withFileLock(file, task, { waitMs: 25_000, staleMs: 10_000, ...options });
}
