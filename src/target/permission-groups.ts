/**
 * Preview's check that the groups a grant would write exist in InPlanning. The resource, exchange,
 * shift and work-location groups are resource groups; InPlanning offers no list of user groups,
 * so `userGroup` cannot be checked here.
 */
import type { InPlanningClient } from '../inplanning/types.js';
import type { DesiredAssignment } from './permission-desired.js';

const GROUP_FIELDS = ['resourceGroup', 'exchangeGroup', 'shiftGroup', 'worklocationGroup'] as const;

export interface MissingGroup {
  field: (typeof GROUP_FIELDS)[number];
  group: string;
  role: string;
}

/** Each group named by the assignments that InPlanning does not know (by `uname` or `name`). */
export async function missingGroups(
  client: InPlanningClient,
  assignments: readonly DesiredAssignment[],
): Promise<MissingGroup[]> {
  const named = groupsNamed(assignments);
  if (named.length === 0) return [];
  const known = new Set<string>();
  for (const group of await client.listResourceGroups()) {
    known.add(group.uname);
    if (group.name) known.add(group.name);
  }
  return named.filter((item) => !known.has(item.group));
}

/** The groups the assignments name, each (field, group) once. */
function groupsNamed(assignments: readonly DesiredAssignment[]): MissingGroup[] {
  const seen = new Set<string>();
  const out: MissingGroup[] = [];
  for (const assignment of assignments) {
    for (const field of GROUP_FIELDS) {
      const group = assignment[field];
      const key = JSON.stringify([field, group]);
      if (!group || seen.has(key)) continue;
      seen.add(key);
      out.push({ field, group, role: assignment.role });
    }
  }
  return out;
}

/** A sentence for one missing group. */
export function describeMissingGroup(missing: MissingGroup): string {
  return (
    `The ${missing.field} "${missing.group}" of role "${missing.role}" does not exist in ` +
    `InPlanning; the grant would be refused.`
  );
}
