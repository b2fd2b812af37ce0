import { beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/log.js';
import { type PersonsSettings, readPersons, type SourcePerson } from '../../src/source/persons.js';
import { day, FakeClient, part, type Tenant, user } from './fake-client.js';

const SETTINGS: PersonsSettings = {
  TimeZone: 'Europe/Amsterdam',
  AccessLeadMinutes: 0,
  AccessLagMinutes: 0,
  PersonSource: 'users',
  RosterMode: 'group',
  IncludePersonsWithoutShifts: false,
};

beforeAll(() => setLogLevel('silent'));

function tenant(extraPartsOn29: ReturnType<typeof part>[] = []): Tenant {
  return {
    users: [user('anna', 'R1'), user('bob', 'R2')],
    resourceGroups: [{ uname: 'ICU' }, { uname: 'SEH' }],
    rosters: {
      R1: [
        day('2026-04-01', [part('07:00-15:30', 'ICU')]),
        day('2026-04-02', [part('22:00-07:00', 'ICU'), part('Bereikbaar', 'SEH')]),
        day('2026-04-03', [
          part('07:00-11:00', 'SEH'),
          ...extraPartsOn29,
          part('12:00-16:00', 'SEH'),
          part('12:00-16:00', 'SEH'),
        ]),
        day('2026-04-04', [part('0700-1530', 'ICU')]),
      ],
      R2: [day('2026-04-03', [part('07:00-11:00', 'SEH')])],
    },
  };
}

/** Contract id by what the contract is, for comparing reads. */
function idsByShift(persons: SourcePerson[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const person of persons) {
    for (const contract of person.Contracts) {
      const { RosterDate, Shift, Group } = contract;
      const base = `${person.ExternalId} ${RosterDate} ${Shift.Code} ${Group.ExternalId}`;
      let key = `${base} #0`;
      for (let n = 1; out.has(key); n++) key = `${base} #${n}`;
      out.set(key, contract.ExternalId);
    }
  }
  return out;
}

describe('contract ExternalIds', () => {
  it('stay the same for every shift two overlapping windows both contain', async () => {
    const early = await readPersons(new FakeClient(tenant()), SETTINGS, {
      from: '2026-04-01',
      to: '2026-04-03',
    });
    const late = await readPersons(new FakeClient(tenant()), SETTINGS, {
      from: '2026-04-02',
      to: '2026-04-04',
    });
    const a = idsByShift(early);
    const b = idsByShift(late);
    const shared = [...a.keys()].filter((key) => b.has(key));

    expect(shared).toHaveLength(6);
    for (const key of shared) expect(b.get(key), key).toBe(a.get(key));
    expect(a.size).toBe(7);
    expect(b.size).toBe(7);
  });

  it('do not change when a part is inserted into a day or the parts are reordered', async () => {
    const window = { from: '2026-04-01', to: '2026-04-04' };
    const before = idsByShift(await readPersons(new FakeClient(tenant()), SETTINGS, window));
    const inserted = tenant([part('09:00-10:00 Overleg', 'ICU')]);
    const after = idsByShift(await readPersons(new FakeClient(inserted), SETTINGS, window));
    const reordered = tenant();
    reordered.rosters?.R1?.[2]?.parts?.reverse();
    const shuffled = idsByShift(await readPersons(new FakeClient(reordered), SETTINGS, window));

    expect(after.size).toBe(before.size + 1);
    for (const [key, id] of before) {
      expect(after.get(key), key).toBe(id);
      expect(shuffled.get(key), key).toBe(id);
    }
  });

  it('are unique, also for two identical parts of one day', async () => {
    const window = { from: '2026-04-01', to: '2026-04-04' };
    const persons = await readPersons(new FakeClient(tenant()), SETTINGS, window);
    const ids = persons.flatMap((person) =>
      person.Contracts.map((contract) => contract.ExternalId),
    );
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
  });
});
