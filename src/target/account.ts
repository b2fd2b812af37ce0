/**
 * What the account actions share: the account reference, the contract's rule for a missing
 * account, the per-account write lock, comparing mapped values with an account's, and building
 * audit logs and outputContexts. The permission actions use these helpers too.
 */
import type { ActionContext, AuditLog, OutputContext } from '../context.js';
import { InputError } from '../errors.js';
import { withAccountLock } from '../inplanning/account-lock.js';
import { activeLike, isActive, type User, userSchema } from '../inplanning/schemas.js';
import type { TargetInput, TargetResult } from './types.js';

/** The username an action acts on: `References.Account`, which create returned. */
export function accountReference(action: ActionContext): string {
  const reference = action.References?.Account;
  if (reference === undefined || reference.trim() === '') {
    throw new InputError(
      'The context names no account: actionContext.References.Account is empty.',
      {
        suggestion: 'Run create first; the engine passes the AccountReference it returned.',
      },
    );
  }
  return reference;
}

/** Whether a governance reconciliation (not a business rule) triggered the action. */
export function isReconciliation(action: ActionContext): boolean {
  return action.Origin?.toLowerCase() === 'reconciliation';
}

/**
 * Runs `task` under the account's cross-process lock, so that the read inside it is the one the
 * write is based on. A preview writes nothing and runs without the lock.
 */
export function underAccountLock<T>(
  input: Pick<TargetInput, 'settings' | 'dryRun'>,
  username: string,
  task: () => Promise<T>,
): Promise<T> {
  return input.dryRun ? task() : withAccountLock(input.settings, username, task);
}

/** What an action does when its account does not exist (helloid-contract.md). */
export type MissingAccountRule = 'succeed' | 'fail';

/** The missing-account rule of each action that has an account reference. */
export const MISSING_ACCOUNT_RULE = {
  update: 'fail',
  enable: 'fail',
  grant: 'fail',
  delete: 'succeed',
  disable: 'succeed',
  revoke: 'succeed',
} as const satisfies Record<string, MissingAccountRule>;

/** The answer of an action whose account is missing: success with nothing to do, or failure. */
export function missingAccountOutput(
  auditAction: string,
  reference: string,
  rule: MissingAccountRule,
): OutputContext {
  if (rule === 'succeed') {
    const message = `Account ${quote(reference)} does not exist in InPlanning; nothing to do.`;
    return succeeded([auditLog(auditAction, message)]);
  }
  return failed(auditAction, `Account ${quote(reference)} does not exist in InPlanning.`);
}

/** One mapped field whose value differs from the account's. */
export interface FieldChange {
  /** The field's name as the account spells it. */
  field: string;
  previous: unknown;
  next: unknown;
}

/** Fields the account actions never write from Data: the key, and roles (permissions). */
const UNMAPPABLE = new Set(['username', 'roles']);

const KNOWN_FIELDS = new Map(Object.keys(userSchema.shape).map((key) => [key.toLowerCase(), key]));

/** The key under which `account` holds `field` (case-insensitive), else the API's own spelling. */
export function accountKey(account: Record<string, unknown>, field: string): string {
  if (field in account) return field;
  const lower = field.toLowerCase();
  const existing = Object.keys(account).find((key) => key.toLowerCase() === lower);
  return existing ?? KNOWN_FIELDS.get(lower) ?? field;
}

/** Whether a Data field is one the lifecycle actions may write (not the username, not roles). */
export function isMappableField(field: string): boolean {
  return !UNMAPPABLE.has(field.toLowerCase());
}

/**
 * Compares an account's value with a mapped one: empty values (null, missing, "") are equal, a
 * boolean equals its "True"/"False" string, a number equals its text, objects compare by content.
 */
export function sameValue(current: unknown, desired: unknown): boolean {
  const a = comparable(current);
  const b = comparable(desired);
  if (typeof a === 'object' || typeof b === 'object') return stableJson(a) === stableJson(b);
  return a === b;
}

function comparable(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value)) {
    return value.trim().toLowerCase() === 'true';
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return value;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const entries = Object.entries(item as Record<string, unknown>);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * `desired` in the form the account uses for `current`: where the account holds a boolean, a
 * "True"/"False" string is written as a boolean, and the other way round.
 */
export function inAccountForm(current: unknown, desired: unknown): unknown {
  const desiredBoolean = comparable(desired);
  if (typeof desiredBoolean !== 'boolean') return desired;
  if (typeof current === 'boolean') return desiredBoolean;
  if (typeof current === 'string' && typeof comparable(current) === 'boolean') {
    return desiredBoolean ? 'True' : 'False';
  }
  return desired;
}

/** The mapped fields whose values differ from the account's; username and roles are skipped. */
export function changedFields(account: User, data: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [name, desired] of Object.entries(data)) {
    if (desired === undefined || !isMappableField(name)) continue;
    const field = accountKey(account, name);
    const previous = account[field];
    if (!sameValue(previous, desired)) {
      changes.push({ field, previous, next: inAccountForm(previous, desired) });
    }
  }
  return changes;
}

/** A copy of the whole account with `changes` applied: roles and every other field are kept. */
export function withChanges(account: User, changes: FieldChange[]): User {
  const next: User = { ...account };
  for (const change of changes) next[change.field] = change.next;
  return next;
}

/** A copy of the account set active or inactive, in the representation the account uses. */
export function withActive(account: User, active: boolean): User {
  return { ...account, active: activeLike(account.active, active) };
}

/** Whether the account holds an explicit active state equal to `active`. */
export function hasActiveState(account: User, active: boolean): boolean {
  return account.active !== undefined && account.active !== null
    ? isActive(account.active) === active
    : false;
}

/** A copy of a record without its array fields, as the engine stores account Data. */
export function withoutArrays(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => !Array.isArray(value)));
}

/** A value as shown in an audit message: JSON text, or "(empty)". */
export function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(empty)';
  return JSON.stringify(value);
}

/** A name in double quotes, as audit messages show usernames and fields. */
export function quote(name: string): string {
  return JSON.stringify(name);
}

/** The audit message of one field change, in the past tense or, for a preview, as intent. */
export function changeMessage(change: FieldChange, reference: string, dryRun: boolean): string {
  const values = `from ${shown(change.previous)} to ${shown(change.next)}`;
  const where = `${quote(change.field)} of account ${quote(reference)}`;
  return dryRun ? `Preview: would change ${where} ${values}.` : `Changed ${where} ${values}.`;
}

/** One audit log entry. */
export function auditLog(action: string, message: string, isError = false): AuditLog {
  return { Action: action, Message: message, IsError: isError };
}

/** A successful outputContext with its audit logs and any further keys. */
export function succeeded(
  auditLogs: AuditLog[],
  extra: Omit<OutputContext, 'Success' | 'AuditLogs'> = {},
): OutputContext {
  return { Success: true, AuditLogs: auditLogs, ...extra };
}

/** A failed outputContext with one error audit log. */
export function failed(
  auditAction: string,
  message: string,
  extra: Omit<OutputContext, 'Success' | 'AuditLogs'> = {},
): OutputContext {
  return { Success: false, AuditLogs: [auditLog(auditAction, message, true)], ...extra };
}

/** Wraps an outputContext as an action's result. */
export function answer(output: OutputContext): TargetResult {
  return { kind: 'output', output };
}
