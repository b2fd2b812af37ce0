/**
 * Applying one permission's change to an account safely: under the per-account cross-process
 * lock, read the user, change only the roles the change names, write the whole user as read,
 * read it back and verify; when verification fails, start again from a fresh read.
 */
import type { ConnectionSettings } from '../config.js';
import { ConflictError } from '../errors.js';
import { withAccountLock } from '../inplanning/account-lock.js';
import type { User } from '../inplanning/schemas.js';
import type { InPlanningClient } from '../inplanning/types.js';
import { log } from '../log.js';
import {
  alters,
  applyChange,
  carriesChange,
  type Effect,
  type RoleChange,
} from './permission-change.js';

/** Writes tried before the action fails; each starts from a fresh read. */
export const MAX_WRITE_ATTEMPTS = 4;

export interface ChangeRequest {
  client: InPlanningClient;
  settings: Pick<ConnectionSettings, 'StateDir' | 'BaseUrl'>;
  username: string;
  change: RoleChange;
  /** The start date of new assignments (today in the tenant's zone). */
  today: string;
  dryRun: boolean;
}

/** What happened: the account was missing, or the effects (written unless a dry run). */
export type ChangeOutcome =
  { found: false } | { found: true; effects: Effect[]; written: boolean; user: User };

/**
 * Plans the change on the account and, unless a dry run, applies and verifies it. The first read
 * happens outside the lock: when the account is missing or already as wanted, nothing is locked
 * (other writers never touch this permission's pairs), and the lock is held only by warm work.
 */
export async function changeRoles(request: ChangeRequest): Promise<ChangeOutcome> {
  const planned = await planOnly(request);
  if (request.dryRun || !planned.found || !planned.effects.some(alters)) return planned;
  return withAccountLock(request.settings, request.username, () => writeVerified(request));
}

async function planOnly(request: ChangeRequest): Promise<ChangeOutcome> {
  const user = await request.client.findUser(request.username);
  if (!user) return { found: false };
  const { effects } = applyChange(user.roles ?? [], request.change, request.today);
  return { found: true, effects, written: false, user };
}

async function writeVerified(request: ChangeRequest): Promise<ChangeOutcome> {
  const { client, username, change, today } = request;
  let planned: Effect[] | undefined;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const user = await client.findUser(username);
    if (!user) return { found: false };
    const { roles, effects } = applyChange(user.roles ?? [], change, today);
    // Effects are reported as first planned: a retry may find part of its own earlier write.
    planned ??= effects;
    if (!effects.some(alters)) {
      return { found: true, effects: planned, written: attempt > 1, user };
    }

    await client.replaceUser({ ...user, roles });
    const after = await client.findUser(username);
    if (!after) return { found: false };
    if (carriesChange(after.roles ?? [], change)) {
      return { found: true, effects: planned, written: true, user: after };
    }
    log().warn({ attempt }, 'the roles read back do not carry the change; trying again');
  }
  throw new ConflictError(
    `The role change on account "${username}" could not be verified after ` +
      `${MAX_WRITE_ATTEMPTS} writes.`,
    { suggestion: 'InPlanning may ignore changes to an existing assignment; check the account.' },
  );
}
