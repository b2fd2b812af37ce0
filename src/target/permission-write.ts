/**
 * Applying one permission's change to an account safely. The change is planned on a first read;
 * when it alters anything it joins the account's queue, and whoever holds the per-account lock
 * reads the user, applies every queued change to the roles (nothing else), writes the whole user
 * as read, reads it back and verifies, starting again from a fresh read when that fails.
 */
import type { ConnectionSettings } from '../config.js';
import { ConflictError } from '../errors.js';
import { withAccountLock } from '../inplanning/account-lock.js';
import type { InPlanningClient } from '../inplanning/types.js';
import { log } from '../log.js';
import {
  alters,
  applyChange,
  carriesChange,
  type Effect,
  type RoleChange,
} from './permission-change.js';
import { type Intent, netChange, RoleQueue } from './permission-queue.js';

/** Writes tried before the action fails; each starts from a fresh read. */
export const MAX_WRITE_ATTEMPTS = 4;
/** How long an action waits for its change to be applied before it gives up. */
const TURN_WAIT_MS = 22_000;
/** Each try for the lock is this short, so that a change applied by another holder is seen. */
const LOCK_POLL_MS = 250;

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
export type ChangeOutcome = { found: false } | { found: true; effects: Effect[]; written: boolean };

type Turn = 'applied' | 'missing';

/**
 * Plans the change on the account and, unless a dry run, applies and verifies it. The first read
 * happens outside the lock: when the account is missing or already as wanted nothing is locked,
 * since other writers never touch this permission's pairs. Effects are reported as planned.
 */
export async function changeRoles(request: ChangeRequest): Promise<ChangeOutcome> {
  const user = await request.client.findUser(request.username);
  if (!user) return { found: false };
  const { effects } = applyChange(user.roles ?? [], request.change, request.today);
  if (request.dryRun || !effects.some(alters)) return { found: true, effects, written: false };

  const queue = RoleQueue.of(request.settings, request.username);
  const intent = await queue.submit(request.change);
  let turn: Turn;
  try {
    turn = await awaitTurn(request, queue, intent);
  } catch (error) {
    // A holder that read the change before this may still apply it; grant and revoke are
    // idempotent, so the engine's retry of this failed action is harmless either way.
    await queue.withdraw(intent);
    throw error;
  }
  return turn === 'missing' ? { found: false } : { found: true, effects, written: true };
}

/** Waits until another holder applied the change, or this process gets the lock and does. */
async function awaitTurn(request: ChangeRequest, queue: RoleQueue, own: Intent): Promise<Turn> {
  const deadline = Date.now() + TURN_WAIT_MS;
  for (;;) {
    if (await queue.takeDone(own)) return 'applied';
    try {
      return await withAccountLock(
        request.settings,
        request.username,
        () => applyQueued(request, queue, own),
        { waitMs: LOCK_POLL_MS, busy: (cause) => new AccountBusyError('busy', { cause }) },
      );
    } catch (error) {
      if (!(error instanceof AccountBusyError)) throw error;
      if (Date.now() >= deadline) {
        throw new ConflictError(
          `Account "${request.username}" stayed locked by other actions for ` +
            `${TURN_WAIT_MS / 1000} seconds; the role change was not applied.`,
          { cause: error, suggestion: 'The engine retries the action later.' },
        );
      }
    }
  }
}

/** Under the lock: applies every queued change in one verified write. */
async function applyQueued(request: ChangeRequest, queue: RoleQueue, own: Intent): Promise<Turn> {
  if (await queue.takeDone(own)) return 'applied';
  const others = (await queue.pending()).filter((intent) => intent.id !== own.id);
  const batch = [...others, own].sort((a, b) => (a.id < b.id ? -1 : 1));
  const change = netChange(batch.map((intent) => intent.change));
  if (batch.length > 1) log().debug({ changes: batch.length }, 'applying queued role changes');

  const turn = await writeVerified(request, change);
  await queue.withdraw(own);
  if (turn === 'applied') await queue.markDone(others);
  return turn;
}

async function writeVerified(request: ChangeRequest, change: RoleChange): Promise<Turn> {
  const { client, username, today } = request;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const user = await client.findUser(username);
    if (!user) return 'missing';
    const { roles, effects } = applyChange(user.roles ?? [], change, today);
    if (!effects.some(alters)) return 'applied';

    await client.replaceUser({ ...user, roles });
    const after = await client.findUser(username);
    if (!after) return 'missing';
    if (carriesChange(after.roles ?? [], change)) return 'applied';
    log().warn({ attempt }, 'the roles read back do not carry the change; trying again');
  }
  throw new ConflictError(
    `The role change on account "${username}" could not be verified after ` +
      `${MAX_WRITE_ATTEMPTS} writes.`,
    { suggestion: 'InPlanning may ignore changes to an existing assignment; check the account.' },
  );
}

/** The account lock stayed taken for one poll. */
class AccountBusyError extends ConflictError {}
