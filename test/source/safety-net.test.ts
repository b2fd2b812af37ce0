import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourcePerson } from '../../src/source/persons.js';
import {
  compareSnapshots,
  loadSnapshot,
  refusal,
  saveSnapshot,
  snapshotFile,
  snapshotOfDepartments,
  snapshotOfPersons,
} from '../../src/source/safety-net.js';

function person(id: string, contracts: Array<[string, string]>): SourcePerson {
  return {
    ExternalId: id,
    DisplayName: `Person ${id}`,
    FirstName: null,
    LastName: null,
    Email: null,
    Contracts: contracts.map(([date, contractId]) => ({
      ExternalId: contractId,
      RosterDate: date,
    })),
  } as unknown as SourcePerson;
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the MaxRemovedPercent comparison', () => {
  const previous = snapshotOfPersons(
    [
      person('R1', [
        ['2026-04-01', 'c1'],
        ['2026-04-02', 'c2'],
      ]),
      person('R2', [
        ['2026-04-02', 'c3'],
        ['2026-04-03', 'c4'],
      ]),
      person('R3', [['2026-04-03', 'c5']]),
      person('R4', [['2026-04-03', 'c6']]),
    ],
    { from: '2026-04-01', to: '2026-04-03' },
  );

  it('does not count contracts that left the window as it moved', () => {
    const current = snapshotOfPersons(
      [
        person('R1', [['2026-04-02', 'c2']]),
        person('R2', [
          ['2026-04-02', 'c3'],
          ['2026-04-03', 'c4'],
        ]),
        person('R3', [['2026-04-03', 'c5']]),
        person('R4', [
          ['2026-04-03', 'c6'],
          ['2026-04-04', 'c7'],
        ]),
      ],
      { from: '2026-04-02', to: '2026-04-04' },
    );
    const removal = compareSnapshots(previous, current);
    expect(removal).toEqual({
      previousIds: 4,
      removedIds: 0,
      previousContracts: 5,
      removedContracts: 0,
    });
    expect(refusal(removal, 0, 'persons')).toBeUndefined();
  });

  it('refuses with counts when more than the allowed share disappeared', () => {
    const current = snapshotOfPersons(
      [
        person('R1', [
          ['2026-04-01', 'c1'],
          ['2026-04-02', 'c2'],
        ]),
      ],
      {
        from: '2026-04-01',
        to: '2026-04-03',
      },
    );
    const removal = compareSnapshots(previous, current);
    expect(removal).toEqual({
      previousIds: 4,
      removedIds: 3,
      previousContracts: 6,
      removedContracts: 4,
    });
    expect(refusal(removal, 50, 'persons')).toBe(
      'Refusing the result: 3 of 4 persons (75.0%) and 4 of 6 contracts (66.7%) disappeared ' +
        'since the last successful read, more than MaxRemovedPercent 50% allows.',
    );
    expect(refusal(removal, 75, 'persons')).toBeUndefined();
  });

  it('compares departments by id', () => {
    const before = snapshotOfDepartments([
      { ExternalId: 'A', DisplayName: 'A', ParentExternalId: null, ManagerExternalId: null },
      { ExternalId: 'B', DisplayName: 'B', ParentExternalId: 'A', ManagerExternalId: null },
    ]);
    const after = snapshotOfDepartments([]);
    expect(refusal(compareSnapshots(before, after), 10, 'departments')).toMatch(
      /2 of 2 departments \(100\.0%\) disappeared/,
    );
  });
});

describe('the kept snapshot', () => {
  it('is stored with mode 0600, holds no names, and reads back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'source-net-'));
    dirs.push(dir);
    const file = snapshotFile(path.join(dir, 'state'), 'persons', {
      BaseUrl: 'https://x.rooster.nl/InPlanningService/rest',
      ClientId: 'client',
    });
    const snapshot = snapshotOfPersons([person('R1', [['2026-04-01', 'c1']])], {
      from: '2026-04-01',
      to: '2026-04-01',
    });
    await saveSnapshot(file, snapshot);

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).not.toContain('Person R1');
    expect(await loadSnapshot(file)).toEqual(snapshot);
    expect(await loadSnapshot(path.join(dir, 'missing.json'))).toBeUndefined();
  });
});
