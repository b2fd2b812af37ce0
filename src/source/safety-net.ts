/**
 * The second safety net of source reads (`MaxRemovedPercent`): the ids of the last successful
 * result are kept in StateDir, and a new result that drops more persons or contracts than the
 * allowed share is refused. Only ids and dates are stored, never names or times.
 */
import path from 'node:path';
import * as z from 'zod';
import { fileKey, readJsonFile, writeJsonFile } from '../inplanning/state-files.js';
import type { SourceDepartment } from './departments.js';
import type { SourcePerson } from './persons.js';
import { inWindow, type RosterWindow } from './window.js';

export type SourceKind = 'persons' | 'departments';

const snapshotSchema = z.object({
  version: z.literal(1),
  kind: z.enum(['persons', 'departments']),
  savedAt: z.string(),
  window: z.object({ from: z.string(), to: z.string() }).nullable(),
  /** Person (or department) ExternalIds. */
  ids: z.array(z.string()),
  /** Contract ExternalIds by roster date. */
  contracts: z.record(z.string(), z.array(z.string())),
});

/** The ids of one result. */
export type Snapshot = z.infer<typeof snapshotSchema>;

/** What disappeared since the previous result. */
export interface Removal {
  previousIds: number;
  removedIds: number;
  /** Previous contracts whose roster date lies in the new window. */
  previousContracts: number;
  removedContracts: number;
}

export function snapshotOfPersons(persons: Iterable<SourcePerson>, window: RosterWindow): Snapshot {
  const ids: string[] = [];
  const contracts: Record<string, string[]> = {};
  for (const person of persons) {
    ids.push(person.ExternalId);
    for (const contract of person.Contracts) {
      (contracts[contract.RosterDate] ??= []).push(contract.ExternalId);
    }
  }
  return { version: 1, kind: 'persons', savedAt: new Date().toISOString(), window, ids, contracts };
}

export function snapshotOfDepartments(departments: readonly SourceDepartment[]): Snapshot {
  return {
    version: 1,
    kind: 'departments',
    savedAt: new Date().toISOString(),
    window: null,
    ids: departments.map((department) => department.ExternalId),
    contracts: {},
  };
}

/**
 * Counts what the current result lacks of the previous one. Contracts dated outside the current
 * window left it as the window moved, so they do not count as removed.
 */
export function compareSnapshots(previous: Snapshot, current: Snapshot): Removal {
  const ids = new Set(current.ids);
  const contracts = new Set(Object.values(current.contracts).flat());
  let previousContracts = 0;
  let removedContracts = 0;
  for (const [date, dated] of Object.entries(previous.contracts)) {
    if (current.window && !inWindow(current.window, date)) continue;
    previousContracts += dated.length;
    removedContracts += dated.filter((id) => !contracts.has(id)).length;
  }
  return {
    previousIds: previous.ids.length,
    removedIds: previous.ids.filter((id) => !ids.has(id)).length,
    previousContracts,
    removedContracts,
  };
}

/** A sentence explaining the refusal, or undefined when the removal is within `maxPercent`. */
export function refusal(
  removal: Removal,
  maxPercent: number,
  kind: SourceKind,
): string | undefined {
  const idShare = percent(removal.removedIds, removal.previousIds);
  const contractShare = percent(removal.removedContracts, removal.previousContracts);
  if (idShare <= maxPercent && contractShare <= maxPercent) return undefined;
  const counts =
    `${removal.removedIds} of ${removal.previousIds} ${kind} (${idShare.toFixed(1)}%)` +
    (kind === 'persons'
      ? ` and ${removal.removedContracts} of ${removal.previousContracts} contracts ` +
        `(${contractShare.toFixed(1)}%)`
      : '');
  return (
    `Refusing the result: ${counts} disappeared since the last successful read, ` +
    `more than MaxRemovedPercent ${maxPercent}% allows.`
  );
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : (part / whole) * 100;
}

/** Where the last result of this kind, for this tenant and client, is kept. */
export function snapshotFile(
  stateDir: string,
  kind: SourceKind,
  connection: { BaseUrl: string; ClientId: string },
): string {
  return path.join(
    stateDir,
    `source-${kind}-${fileKey(connection.BaseUrl, connection.ClientId)}.json`,
  );
}

/** The stored snapshot, or undefined when there is none or it cannot be read. */
export async function loadSnapshot(file: string): Promise<Snapshot | undefined> {
  const parsed = snapshotSchema.safeParse(await readJsonFile(file));
  return parsed.success ? parsed.data : undefined;
}

/** Stores a snapshot atomically with mode 0600. */
export async function saveSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  await writeJsonFile(file, snapshot);
}
