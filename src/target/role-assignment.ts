/**
 * The role assignment: InPlanning identifies an item of a user's `roles` by the pair (role,
 * resourceGroup). The pair has a reversible string form (JSON of a 2-tuple) that survives any
 * character in the names, used as the Id of a sub-permission.
 */
import * as z from 'zod';
import type { Role } from '../inplanning/schemas.js';

/** The pair that identifies a role assignment; a missing resource group is null. */
export interface RoleAssignment {
  readonly role: string;
  readonly resourceGroup: string | null;
}

/** The pair of an item of a user's `roles`. */
export function assignmentOf(role: Pick<Role, 'role' | 'resourceGroup'>): RoleAssignment {
  return { role: role.role, resourceGroup: normaliseGroup(role.resourceGroup) };
}

/** Whether two pairs name the same assignment (an empty resource group counts as none). */
export function sameAssignment(
  a: Pick<Role, 'role' | 'resourceGroup'>,
  b: Pick<Role, 'role' | 'resourceGroup'>,
): boolean {
  return a.role === b.role && normaliseGroup(a.resourceGroup) === normaliseGroup(b.resourceGroup);
}

/** The reversible string form of a pair: `["role","resourceGroup"]` (JSON). */
export function formatAssignment(assignment: RoleAssignment): string {
  return JSON.stringify([assignment.role, assignment.resourceGroup]);
}

const tupleSchema = z.tuple([z.string().min(1), z.string().nullable()]);

/** Reads a pair back from its string form; undefined when the text is not one. */
export function parseAssignment(text: string): RoleAssignment | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = tupleSchema.safeParse(raw);
  if (!result.success) return undefined;
  const [role, resourceGroup] = result.data;
  return { role, resourceGroup: normaliseGroup(resourceGroup) };
}

/** A pair as a person reads it in an audit log. */
export function describeAssignment(assignment: Pick<Role, 'role' | 'resourceGroup'>): string {
  const group = normaliseGroup(assignment.resourceGroup);
  const where = group === null ? 'without a resource group' : `for resource group "${group}"`;
  return `role "${assignment.role}" ${where}`;
}

function normaliseGroup(group: string | null | undefined): string | null {
  return group === undefined || group === null || group === '' ? null : group;
}
