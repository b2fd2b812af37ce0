/**
 * What the permission actions tell the engine: one audit log per assignment the change names,
 * the sub-permissions of a dynamic permission, and the answers for a missing account.
 */
import type { AuditLog, SubPermission } from '../context.js';
import type { Effect } from './permission-change.js';
import type { DesiredAssignment } from './permission-desired.js';
import { assignmentOf, describeAssignment, formatAssignment } from './role-assignment.js';

/** The audit-log actions of the engine's contract. */
export type PermissionAuditAction = 'GrantPermission' | 'UpdatePermission' | 'RevokePermission';

const DISPLAY_NAME_LIMIT = 100;

/** An informational (or error) audit log line. */
export function auditLog(
  Action: PermissionAuditAction,
  Message: string,
  IsError = false,
): AuditLog {
  return { Action, Message, IsError };
}

/** One audit log for an effect; `grantAction` names additions and updates. */
export function effectLog(
  effect: Effect,
  username: string,
  dryRun: boolean,
  grantAction: PermissionAuditAction,
): AuditLog {
  const what = describeAssignment(effect.assignment);
  const account = `account "${username}"`;
  const action =
    effect.kind === 'removed' || effect.kind === 'absent' ? 'RevokePermission' : grantAction;
  return auditLog(action, sentence(effect, what, account, dryRun));
}

function sentence(effect: Effect, what: string, account: string, dryRun: boolean): string {
  const preview = dryRun ? 'Preview: ' : '';
  switch (effect.kind) {
    case 'added':
      return `${preview}${dryRun ? 'would grant' : 'Granted'} ${what} to ${account}.`;
    case 'updated': {
      const fields = effect.changes
        .map((change) => `${change.field} ${show(change.from)} → ${show(change.to)}`)
        .join(', ');
      return `${preview}${dryRun ? 'would update' : 'Updated'} ${what} on ${account}: ${fields}.`;
    }
    case 'removed':
      return `${preview}${dryRun ? 'would revoke' : 'Revoked'} ${what} from ${account}.`;
    case 'unchanged':
      return `${preview}${capital(account)} already holds ${what}; nothing changed.`;
    case 'absent':
      return `${preview}${capital(account)} does not hold ${what}; nothing changed.`;
  }
}

/** The complete desired set of a dynamic permission, as the engine stores it. */
export function subPermissionsOf(assignments: readonly DesiredAssignment[]): SubPermission[] {
  return assignments.map((assignment) => ({
    DisplayName: subPermissionName(assignment),
    Reference: { Id: formatAssignment(assignmentOf(assignment)) },
  }));
}

/** A sub-permission's display name: the role and its resource group, at most 100 characters. */
export function subPermissionName(assignment: Pick<DesiredAssignment, 'role' | 'resourceGroup'>) {
  const name = assignment.resourceGroup
    ? `${assignment.role} / ${assignment.resourceGroup}`
    : assignment.role;
  return name.length > DISPLAY_NAME_LIMIT ? `${name.slice(0, DISPLAY_NAME_LIMIT - 1)}…` : name;
}

function show(value: string | null): string {
  return value === null ? '(none)' : `"${value}"`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
