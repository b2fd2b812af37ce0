/**
 * One permission's change to a user's `roles`, as data: the assignments to add or bring up to
 * date and the pairs to remove. Applying it touches no other item; checking it tells whether a
 * list of roles (such as one read back after a write) carries the change.
 */
import type { Role } from '../inplanning/schemas.js';
import type { DesiredAssignment } from './permission-desired.js';
import { assignmentOf, type RoleAssignment, sameAssignment } from './role-assignment.js';

export interface RoleChange {
  /** Assignments to add, or to bring up to date when their pair is already there. */
  upsert: DesiredAssignment[];
  /** Pairs to remove (every item with that pair). */
  remove: RoleAssignment[];
}

/** Fields of an assignment the catalogue manages besides its pair. */
const MANAGED_FIELDS = [
  'exchangeGroup',
  'shiftGroup',
  'worklocationGroup',
  'userGroup',
  'endDate',
] as const;
type ManagedField = (typeof MANAGED_FIELDS)[number];

export interface FieldChange {
  field: ManagedField;
  from: string | null;
  to: string | null;
}

/** What the change does to one assignment. */
export type Effect =
  | { kind: 'added'; assignment: Role }
  | { kind: 'updated'; assignment: Role; changes: FieldChange[] }
  | { kind: 'unchanged'; assignment: RoleAssignment }
  | { kind: 'removed'; assignment: RoleAssignment }
  | { kind: 'absent'; assignment: RoleAssignment };

/** Whether an effect alters the roles. */
export function alters(effect: Effect): boolean {
  return effect.kind === 'added' || effect.kind === 'updated' || effect.kind === 'removed';
}

/** The roles with the change applied, and its effect on each assignment it names. */
export function applyChange(
  roles: readonly Role[],
  change: RoleChange,
  today: string,
): { roles: Role[]; effects: Effect[] } {
  let next = [...roles];
  const effects: Effect[] = [];
  for (const pair of change.remove) {
    const kept = next.filter((role) => !sameAssignment(role, pair));
    effects.push({ kind: kept.length < next.length ? 'removed' : 'absent', assignment: pair });
    next = kept;
  }
  for (const desired of change.upsert) {
    const index = next.findIndex((role) => sameAssignment(role, desired));
    const current = next[index];
    if (current === undefined) {
      const added = newAssignment(desired, today);
      next.push(added);
      effects.push({ kind: 'added', assignment: added });
      continue;
    }
    const changes = differences(current, desired);
    if (changes.length === 0) {
      effects.push({ kind: 'unchanged', assignment: assignmentOf(current) });
      continue;
    }
    const updated = { ...current, ...Object.fromEntries(changes.map((c) => [c.field, c.to])) };
    next[index] = updated;
    effects.push({ kind: 'updated', assignment: updated, changes });
  }
  return { roles: next, effects };
}

/** Whether `roles` carry the change: every upsert present and up to date, every removal gone. */
export function carriesChange(roles: readonly Role[], change: RoleChange): boolean {
  const removed = change.remove.every((pair) => !roles.some((role) => sameAssignment(role, pair)));
  return (
    removed &&
    change.upsert.every((desired) => {
      const current = roles.find((role) => sameAssignment(role, desired));
      return current !== undefined && differences(current, desired).length === 0;
    })
  );
}

/** A new item of `roles`: the catalogue's fields, starting today (or on its end date if sooner). */
function newAssignment(desired: DesiredAssignment, today: string): Role {
  const endDate = desired.endDate;
  return {
    role: desired.role,
    resourceGroup: desired.resourceGroup ?? null,
    exchangeGroup: desired.exchangeGroup ?? null,
    shiftGroup: desired.shiftGroup ?? null,
    worklocationGroup: desired.worklocationGroup ?? null,
    userGroup: desired.userGroup ?? null,
    // InPlanning refuses an end before the start; a contract that already ended ends the role too.
    startDate: endDate !== null && endDate < today ? endDate : today,
    endDate,
  };
}

/** The managed fields in which `current` differs from `desired` (absent in the catalogue: kept). */
function differences(current: Role, desired: DesiredAssignment): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of MANAGED_FIELDS) {
    const wanted = desired[field];
    if (wanted === undefined) continue;
    const have = comparable(field, current[field]);
    const want = comparable(field, wanted);
    if (have !== want) changes.push({ field, from: current[field] ?? null, to: want });
  }
  return changes;
}

/** Empty and null are the same; a date compares by its day (a tenant may add a time). */
function comparable(field: ManagedField, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  return field === 'endDate' ? value.slice(0, 10) : value;
}
