/**
 * The steps grant and revoke share: load the catalogue and find the permission, plan the role
 * change (static or per contract), check the groups in a preview, apply the change under the
 * account lock, and report.
 */
import type { ActionContext, AuditLog, OutputContext, SubPermission } from '../context.js';
import { accountReference } from './account.js';
import {
  type Catalogue,
  type CataloguePermission,
  findPermission,
  isDynamic,
  loadCatalogue,
} from './permission-catalogue.js';
import type { Effect, RoleChange } from './permission-change.js';
import { todayIn } from './permission-dates.js';
import { desiredAssignments } from './permission-desired.js';
import { describeMissingGroup, missingGroups } from './permission-groups.js';
import {
  auditLog,
  effectLog,
  type PermissionAuditAction,
  subPermissionsOf,
} from './permission-report.js';
import { templateMatches } from './permission-template.js';
import {
  assignmentOf,
  parseAssignment,
  type RoleAssignment,
  sameAssignment,
} from './role-assignment.js';
import { changeRoles } from './permission-write.js';
import type { TargetInput, TargetResult } from './types.js';

export type PermissionVerb = 'grant' | 'revoke';

/** The role change one action makes, with what it tells the engine besides the effects. */
interface Plan {
  change: RoleChange;
  notes: AuditLog[];
  subPermissions?: SubPermission[];
}

type Planned = { ok: true; plan: Plan } | { ok: false; message: string };

/** Runs grant or revoke of the permission the context names. */
export async function runPermissionAction(
  verb: PermissionVerb,
  input: TargetInput,
): Promise<TargetResult> {
  const catalogue = await loadCatalogue(input.permissionsFile);
  const permission = findPermission(catalogue, input.action.References?.Permission?.Reference);
  const username = accountReference(input.action);
  const action = auditAction(verb, input.action);

  const planned = plan(verb, permission, catalogue, input);
  if (!planned.ok) return output(false, [auditLog(action, planned.message, true)]);
  const { change, notes, subPermissions } = planned.plan;

  const outcome = await changeRoles({
    client: input.client,
    settings: input.settings,
    username,
    change,
    today: todayIn(input.settings.TimeZone),
    dryRun: input.dryRun,
  });
  if (!outcome.found) return missingAccount(verb, action, username, permission, notes);

  const logs = [...notes, ...effectLogs(outcome.effects, username, input.dryRun, action)];
  const groupErrors =
    input.dryRun && verb === 'grant' ? await groupLogs(input, change, action) : [];
  return output(groupErrors.length === 0, [...logs, ...groupErrors], subPermissions);
}

function auditAction(verb: PermissionVerb, action: ActionContext): PermissionAuditAction {
  if (verb === 'revoke') return 'RevokePermission';
  return action.Operation?.toLowerCase() === 'update' ? 'UpdatePermission' : 'GrantPermission';
}

function plan(
  verb: PermissionVerb,
  permission: CataloguePermission,
  catalogue: Catalogue,
  input: TargetInput,
): Planned {
  const dynamic = isDynamic(permission);
  if (verb === 'revoke') {
    if (!dynamic) return planned({ upsert: [], remove: [assignmentOf(permission.role)] }, []);
    const current = currentAssignments(permission, input.action);
    return planned({ upsert: [], remove: current.pairs }, current.notes, []);
  }

  const desired = desiredAssignments(permission, catalogue, input.person, input.settings);
  if (!desired.ok) return desired;
  const notes = desired.notes.map((note) => auditLog(auditAction(verb, input.action), note));
  if (!dynamic) return planned({ upsert: desired.assignments, remove: [] }, notes);

  const current = currentAssignments(permission, input.action);
  const stale = current.pairs.filter(
    (pair) => !desired.assignments.some((assignment) => sameAssignment(assignment, pair)),
  );
  const change = { upsert: desired.assignments, remove: stale };
  return planned(change, [...notes, ...current.notes], subPermissionsOf(desired.assignments));
}

function planned(change: RoleChange, notes: AuditLog[], subPermissions?: SubPermission[]): Planned {
  return { ok: true, plan: { change, notes, ...(subPermissions ? { subPermissions } : {}) } };
}

/** The pairs `CurrentPermissions` lists for this permission; others are left alone, with a note. */
function currentAssignments(
  permission: CataloguePermission,
  action: ActionContext,
): { pairs: RoleAssignment[]; notes: AuditLog[] } {
  const pairs: RoleAssignment[] = [];
  const notes: AuditLog[] = [];
  for (const current of action.CurrentPermissions ?? []) {
    const id = current.Reference?.Id;
    const pair = id ? parseAssignment(id) : undefined;
    if (pair && templateMatches(permission.role, pair)) {
      if (!pairs.some((known) => sameAssignment(known, pair))) pairs.push(pair);
      continue;
    }
    const message =
      `The current sub-permission ${JSON.stringify(id ?? current.DisplayName ?? '')} is not ` +
      `a role assignment of permission "${permission.reference}"; it was left alone.`;
    notes.push(auditLog('RevokePermission', message));
  }
  return { pairs, notes };
}

function effectLogs(
  effects: Effect[],
  username: string,
  dryRun: boolean,
  action: PermissionAuditAction,
): AuditLog[] {
  if (effects.length > 0)
    return effects.map((effect) => effectLog(effect, username, dryRun, action));
  const message =
    `Account "${username}" should hold no assignment of this permission and ` +
    'none is listed as current; nothing changed.';
  return [auditLog(action, message)];
}

async function groupLogs(
  input: TargetInput,
  change: RoleChange,
  action: PermissionAuditAction,
): Promise<AuditLog[]> {
  const missing = await missingGroups(input.client, change.upsert);
  return missing.map((item) => auditLog(action, `Preview: ${describeMissingGroup(item)}`, true));
}

function missingAccount(
  verb: PermissionVerb,
  action: PermissionAuditAction,
  username: string,
  permission: CataloguePermission,
  notes: AuditLog[],
): TargetResult {
  if (verb === 'revoke') {
    const message =
      `Account "${username}" does not exist in InPlanning; ` +
      `permission "${permission.reference}" has nothing left to revoke.`;
    return output(
      true,
      [...notes, auditLog(action, message)],
      isDynamic(permission) ? [] : undefined,
    );
  }
  const message =
    `Account "${username}" does not exist in InPlanning; ` +
    `permission "${permission.reference}" cannot be granted.`;
  return output(false, [...notes, auditLog(action, message, true)]);
}

function output(
  success: boolean,
  logs: AuditLog[],
  subPermissions?: SubPermission[],
): TargetResult {
  const result: OutputContext = { Success: success, AuditLogs: logs };
  if (subPermissions) result.SubPermissions = subPermissions;
  return { kind: 'output', output: result };
}
