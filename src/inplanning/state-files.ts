/**
 * Files under StateDir shared by every process of the same client: the token cache and the
 * cross-process locks. Files are private to the user (0600, folders 0700).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { log } from '../log.js';

/** A short, file-name-safe key for any text (a base URL, a username). */
export function fileKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Reads a JSON file, or undefined when it is missing or unreadable. */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Writes a JSON file atomically (temp file, then rename) with mode 0600. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await ensureDir(path.dirname(file));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify(value), { mode: 0o600 });
  await rename(temp, file);
}

export interface LockOptions {
  /** How long to keep trying to get the lock before failing. */
  waitMs?: number;
  /** A lock not refreshed for this long is considered left by a dead process. */
  staleMs?: number;
  /** The error to throw when the lock stays taken for waitMs (default: proper-lockfile's). */
  busy?: (cause: unknown) => Error;
}

/** Runs `task` while holding a cross-process lock on `file` (the file need not exist). */
export async function withFileLock<T>(
  file: string,
  task: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  await ensureDir(path.dirname(file));
  const waitMs = options.waitMs ?? 20_000;
  const release = await acquire(file, waitMs, options.staleMs ?? 10_000).catch((error) => {
    const code = (error as { code?: string }).code;
    throw code === 'ELOCKED' && options.busy ? options.busy(error) : error;
  });
  try {
    return await task();
  } finally {
    await release().catch(() => undefined);
  }
}

async function acquire(
  file: string,
  waitMs: number,
  staleMs: number,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    try {
      return await lockfile.lock(file, {
        realpath: false,
        stale: staleMs,
        retries: 0,
        // The default throws from a timer and ends the process; a lock taken over after a
        // long stall is worth a warning, not a crash in the middle of an action.
        onCompromised: (error) => log().warn({ err: error, file }, 'a state lock was lost'),
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ELOCKED' || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
  }
}
