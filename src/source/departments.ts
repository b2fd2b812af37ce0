/** `source departments`: InPlanning's resource groups as the engine's departments. */
import { describeError, IncompleteError } from '../errors.js';
import type { InPlanningClient } from '../inplanning/types.js';
import { compareText } from './people.js';

export interface SourceDepartment {
  ExternalId: string;
  DisplayName: string;
  ParentExternalId: string | null;
  /** InPlanning holds no manager for a group. */
  ManagerExternalId: null;
}

/** Every resource group once, ordered by ExternalId (the group's uname). */
export async function readDepartments(client: InPlanningClient): Promise<SourceDepartment[]> {
  let groups;
  try {
    groups = await client.limit(() => client.listResourceGroups());
  } catch (error) {
    throw new IncompleteError(`Reading the resource groups failed: ${describeError(error)}`, {
      cause: error,
    });
  }
  const byId = new Map<string, SourceDepartment>();
  for (const group of groups) {
    if (byId.has(group.uname)) continue;
    byId.set(group.uname, {
      ExternalId: group.uname,
      DisplayName: group.name?.trim() || group.uname,
      ParentExternalId: group.parent || null,
      ManagerExternalId: null,
    });
  }
  return [...byId.values()].sort((a, b) => compareText(a.ExternalId, b.ExternalId));
}
