/**
 * Contracts from roster days: one per shift part, with its instants, its access window and what
 * the roster says about it (shift, group and parent group, function, labour history).
 */
import type { Part, ResourceGroup } from '../inplanning/schemas.js';
import { contractId, partKey } from './contract-id.js';
import { compareText } from './people.js';
import type { BookDay } from './roster-book.js';
import { type ContractTimes, contractTimes, type TimeSettings } from './shift-times.js';

/** A group as contracts name it; ExternalId is the group's uname, as departments use it. */
export interface ContractGroup {
  ExternalId: string;
  DisplayName: string | null;
}

/** One shift part as a contract. */
export interface SourceContract extends ContractTimes {
  ExternalId: string;
  RosterDate: string;
  Shift: { Code: string; Name: string | null };
  Group: ContractGroup & { Description: string | null; Code: string | null };
  ParentGroup: ContractGroup | null;
  /** The function (`prop`) worked in this shift. */
  Function: { Code: string; Name: string | null } | null;
  LabourHist: unknown;
  LabourHistGroup: unknown;
}

/** Resource groups by uname, for parent lookups. */
export type GroupIndex = ReadonlyMap<string, ResourceGroup>;

export function indexGroups(groups: readonly ResourceGroup[]): GroupIndex {
  const index = new Map<string, ResourceGroup>();
  for (const group of groups) if (!index.has(group.uname)) index.set(group.uname, group);
  return index;
}

/** The contracts of one person's days, ordered by start and then id; absent days give none. */
export function contractsOf(
  resource: string,
  days: readonly BookDay[],
  groups: GroupIndex,
  settings: TimeSettings,
): SourceContract[] {
  const timed: Array<{ start: number; contract: SourceContract }> = [];
  for (const day of days) {
    if (day.absent) continue;
    const occurrences = new Map<string, number>();
    for (const part of day.parts) {
      const key = partKey(part.shift.uname, part.group.uname);
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      timed.push(contractOf(resource, day.rosterDate, part, occurrence, groups, settings));
    }
  }
  timed.sort(
    (a, b) => a.start - b.start || compareText(a.contract.ExternalId, b.contract.ExternalId),
  );
  return timed.map((entry) => entry.contract);
}

function contractOf(
  resource: string,
  rosterDate: string,
  part: Part,
  occurrence: number,
  groups: GroupIndex,
  settings: TimeSettings,
): { start: number; contract: SourceContract } {
  const { shift, times } = contractTimes(part.shift.uname, rosterDate, settings);
  const identity = {
    resource,
    rosterDate,
    shiftCode: part.shift.uname,
    group: part.group.uname,
    occurrence,
  };
  const contract: SourceContract = {
    ExternalId: contractId(identity),
    RosterDate: rosterDate,
    ...times,
    Shift: { Code: part.shift.uname, Name: part.shift.name ?? null },
    Group: {
      ExternalId: part.group.uname,
      DisplayName: part.group.name ?? null,
      Description: part.group.description ?? null,
      Code: part.group.externalId ?? null,
    },
    ParentGroup: parentOf(part.group.uname, groups),
    Function: part.prop ? { Code: part.prop.uname, Name: part.prop.name ?? null } : null,
    LabourHist: part.labourHist ?? null,
    LabourHistGroup: part.labourHistGroup ?? null,
  };
  return { start: shift.start, contract };
}

function parentOf(group: string, groups: GroupIndex): ContractGroup | null {
  const parentName = groups.get(group)?.parent;
  if (!parentName) return null;
  return { ExternalId: parentName, DisplayName: groups.get(parentName)?.name ?? null };
}
