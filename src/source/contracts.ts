/**
 * Contracts from roster days: one per shift part, with its instants, its access window and what
 * the roster says about it (shift, group and parent group, function, labour history).
 */
import type { Part, ResourceGroup } from '../inplanning/schemas.js';
import { contractId, partKey } from './contract-id.js';
import { compareText } from './people.js';
import { type ContractTimes, contractTimes, type TimeSettings } from './shift-times.js';

/** A group as contracts name it; ExternalId is the group's uname, as departments use it. */
export interface ContractGroup {
  ExternalId: string;
  DisplayName: string | null;
}

/** What a contract says about its part besides its id and times. */
export interface PartDescription {
  Shift: { Code: string; Name: string | null };
  Group: ContractGroup & { Description: string | null; Code: string | null };
  ParentGroup: ContractGroup | null;
  /** The function (`prop`) worked in this shift. */
  Function: { Code: string; Name: string | null } | null;
  LabourHist: unknown;
  LabourHistGroup: unknown;
}

/** One shift part as a contract. */
export interface SourceContract extends ContractTimes, PartDescription {
  ExternalId: string;
  RosterDate: string;
}

/** A roster part reduced to what contracts need; equal parts share one object. */
export interface DescribedPart {
  /** Shift code and group: what makes parts of one day identical (see partKey). */
  key: string;
  shiftCode: string;
  group: string;
  description: Readonly<PartDescription>;
}

/** One person's roster day, reduced. */
export interface BookDay {
  rosterDate: string;
  /** A whole-day absence: the day's shifts will not happen. */
  absent: boolean;
  parts: readonly DescribedPart[];
}

/** Resource groups by uname, for parent lookups. */
export type GroupIndex = ReadonlyMap<string, ResourceGroup>;

export function indexGroups(groups: readonly ResourceGroup[]): GroupIndex {
  const index = new Map<string, ResourceGroup>();
  for (const group of groups) if (!index.has(group.uname)) index.set(group.uname, group);
  return index;
}

/**
 * Reduces parts, returning one shared object for all parts that say the same: a roster repeats a
 * handful of shifts and groups thousands of times, and sharing keeps large reads small.
 */
export function partDescriber(groups: GroupIndex): (part: Part) => DescribedPart {
  const known = new Map<string, DescribedPart>();
  return (part) => {
    const { shift, group, prop } = part;
    const key = describedKey([
      shift.uname,
      shift.name,
      group.uname,
      group.name,
      group.description,
      group.externalId,
      prop?.uname,
      prop?.name,
      part.labourHist == null ? null : JSON.stringify(part.labourHist),
      part.labourHistGroup == null ? null : JSON.stringify(part.labourHistGroup),
    ]);
    let described = known.get(key);
    if (!described) {
      described = {
        key: partKey(shift.uname, group.uname),
        shiftCode: shift.uname,
        group: group.uname,
        description: describe(part, groups),
      };
      known.set(key, described);
    }
    return described;
  };
}

/** Joins the values that make two parts say the same; absent values differ from empty ones. */
function describedKey(values: ReadonlyArray<string | null | undefined>): string {
  let key = '';
  for (const value of values) key += value == null ? '\u0001\u0000' : `${value}\u0000`;
  return key;
}

function describe(part: Part, groups: GroupIndex): PartDescription {
  const { shift, group, prop } = part;
  return {
    Shift: { Code: shift.uname, Name: shift.name ?? null },
    Group: {
      ExternalId: group.uname,
      DisplayName: group.name ?? null,
      Description: group.description ?? null,
      Code: group.externalId ?? null,
    },
    ParentGroup: parentOf(group.uname, groups),
    Function: prop ? { Code: prop.uname, Name: prop.name ?? null } : null,
    LabourHist: part.labourHist ?? null,
    LabourHistGroup: part.labourHistGroup ?? null,
  };
}

function parentOf(group: string, groups: GroupIndex): ContractGroup | null {
  const parentName = groups.get(group)?.parent;
  if (!parentName) return null;
  return { ExternalId: parentName, DisplayName: groups.get(parentName)?.name ?? null };
}

/**
 * The contracts of one person's days, ordered by start and then id; absent days give none. The
 * nested objects of a contract are shared with other contracts and must not be changed.
 */
export function contractsOf(
  resource: string,
  days: readonly BookDay[],
  settings: TimeSettings,
): SourceContract[] {
  const timed: Array<{ start: number; contract: SourceContract }> = [];
  for (const day of days) {
    if (day.absent) continue;
    const occurrences = new Map<string, number>();
    for (const part of day.parts) {
      const occurrence = occurrences.get(part.key) ?? 0;
      occurrences.set(part.key, occurrence + 1);
      timed.push(contractOf(resource, day.rosterDate, part, occurrence, settings));
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
  part: DescribedPart,
  occurrence: number,
  settings: TimeSettings,
): { start: number; contract: SourceContract } {
  const { shift, times } = contractTimes(part.shiftCode, rosterDate, settings);
  const { shiftCode, group } = part;
  const contract: SourceContract = {
    ExternalId: contractId({ resource, rosterDate, shiftCode, group, occurrence }),
    RosterDate: rosterDate,
    ...times,
    ...part.description,
  };
  return { start: shift.start, contract };
}
