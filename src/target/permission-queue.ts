/**
 * The queue of role changes waiting for an account's lock, shared by all processes through files
 * in StateDir. Whoever holds the lock applies every waiting change in one write (each still
 * touching only its own pairs) and marks them done, so many grants on one account (a new hire's
 * permissions, all at once) need a few writes instead of one each.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import type { ConnectionSettings } from '../config.js';
import { fileKey, readJsonFile, writeJsonFile } from '../inplanning/state-files.js';
import type { RoleChange } from './permission-change.js';
import type { DesiredAssignment } from './permission-desired.js';
import { formatAssignment, assignmentOf, type RoleAssignment } from './role-assignment.js';

/** A change older than this is left by a process that gave up or died; it is never applied. */
export const INTENT_MAX_AGE_MS = 30_000;

const INTENT = '.intent.json';
const DONE = '.done';

/** One process's change, waiting in the queue. */
export interface Intent {
  id: string;
  created: number;
  change: RoleChange;
}

const group = z.string().nullable().optional();
const intentSchema = z.object({
  created: z.number(),
  change: z.object({
    upsert: z.array(
      z.object({
        role: z.string().min(1),
        resourceGroup: group,
        exchangeGroup: group,
        shiftGroup: group,
        worklocationGroup: group,
        userGroup: group,
        endDate: z.string().nullable(),
      }),
    ),
    remove: z.array(z.object({ role: z.string().min(1), resourceGroup: z.string().nullable() })),
  }),
});

/** The queue of one account on one tenant. */
export class RoleQueue {
  constructor(private readonly dir: string) {}

  /** The queue of `username`, beside the account lock in StateDir. */
  static of(settings: Pick<ConnectionSettings, 'StateDir' | 'BaseUrl'>, username: string) {
    const key = fileKey(settings.BaseUrl.toLowerCase(), username.toLowerCase());
    return new RoleQueue(path.join(settings.StateDir, 'role-queue', key));
  }

  /** Adds a change; ids sort in the order the changes were made. */
  async submit(change: RoleChange): Promise<Intent> {
    const created = Date.now();
    const unique = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const id = `${String(created).padStart(15, '0')}-${unique}`;
    await writeJsonFile(this.file(id, INTENT), { created, change });
    return { id, created, change };
  }

  /** The changes waiting, oldest first; stale and unreadable ones are removed instead. */
  async pending(): Promise<Intent[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const intents: Intent[] = [];
    for (const name of names.sort()) {
      if (name.endsWith(DONE)) await this.removeIfStale(name);
      if (!name.endsWith(INTENT)) continue;
      const id = name.slice(0, -INTENT.length);
      const parsed = intentSchema.safeParse(await readJsonFile(this.file(id, INTENT)));
      if (parsed.success && Date.now() - parsed.data.created < INTENT_MAX_AGE_MS) {
        intents.push({ id, created: parsed.data.created, change: parsed.data.change });
      } else {
        await ignoreMissing(unlink(this.file(id, INTENT)));
      }
    }
    return intents;
  }

  /** Marks changes another process submitted as applied. */
  async markDone(intents: readonly Intent[]): Promise<void> {
    for (const intent of intents) {
      await ignoreMissing(rename(this.file(intent.id, INTENT), this.file(intent.id, DONE)));
    }
  }

  /** Whether another process applied this change; the mark is removed once seen. */
  async takeDone(intent: Intent): Promise<boolean> {
    try {
      await unlink(this.file(intent.id, DONE));
      return true;
    } catch {
      return false;
    }
  }

  /** Takes a change out of the queue (applied by its own process, or given up). */
  async withdraw(intent: Intent): Promise<void> {
    await ignoreMissing(unlink(this.file(intent.id, INTENT)));
  }

  private file(id: string, suffix: string): string {
    return path.join(this.dir, `${id}${suffix}`);
  }

  private async removeIfStale(name: string): Promise<void> {
    const file = path.join(this.dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > INTENT_MAX_AGE_MS) await ignoreMissing(unlink(file));
  }
}

/** The combined change of several, in order: for each pair, the last change to name it wins. */
export function netChange(changes: readonly RoleChange[]): RoleChange {
  const last = new Map<string, { upsert: DesiredAssignment } | { remove: RoleAssignment }>();
  for (const change of changes) {
    for (const pair of change.remove) last.set(formatAssignment(pair), { remove: pair });
    for (const desired of change.upsert) {
      last.set(formatAssignment(assignmentOf(desired)), { upsert: desired });
    }
  }
  const net: RoleChange = { upsert: [], remove: [] };
  for (const entry of last.values()) {
    if ('upsert' in entry) net.upsert.push(entry.upsert);
    else net.remove.push(entry.remove);
  }
  return net;
}

async function ignoreMissing(operation: Promise<unknown>): Promise<void> {
  await operation.catch(() => undefined);
}
