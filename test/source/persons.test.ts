import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IncompleteError, NotFoundError, TransientError } from '../../src/errors.js';
import { log, setLogLevel } from '../../src/log.js';
import { type PersonsSettings, readPersons } from '../../src/source/persons.js';
import type { RosterWindow } from '../../src/source/window.js';
import { day, FakeClient, part, type Tenant, user } from './fake-client.js';

const SETTINGS: PersonsSettings = {
  TimeZone: 'Europe/Amsterdam',
  AccessLeadMinutes: 60,
  AccessLagMinutes: 30,
  PersonSource: 'users',
  RosterMode: 'group',
  IncludePersonsWithoutShifts: false,
};

const WINDOW: RosterWindow = { from: '2026-03-27', to: '2026-03-30' };

const GROUPS = [
  { uname: 'ZKH', name: 'Ziekenhuis', parent: null },
  { uname: 'ICU', name: 'Intensive care', parent: 'ZKH' },
  { uname: 'SEH', name: 'Spoedeisende hulp', parent: 'ZKH' },
];

function tenant(): Tenant {
  return {
    users: [
      user('anna', 'R1'),
      user('bob', 'R2'),
      user('zed', 'R3'),
      user('amy', 'R3'),
      user('carl', null),
      user('dora', ''),
      user('eve', 'R4', 'False'),
      user('finn', 'R5', 'True'),
    ],
    resourceGroups: GROUPS,
    rosters: {
      R1: [
        day('2026-03-28', [part('22:00-07:00 Nacht', 'ICU', 'VPK')]),
        day('2026-03-29', [part('0700-1530', 'ICU'), part('16:00-23:00', 'SEH')]),
        day('2026-03-30', [part('07:00-15:30', 'ICU')], { code: 'ZIEK' }),
        day('2026-03-31', [part('07:00-15:30', 'ICU')]),
      ],
      R2: [day('2026-03-27', [part('Bereikbaar', 'SEH')])],
      R3: [day('2026-03-29', [part('07:00-15:30', 'SEH'), part('07:00-15:30', 'SEH')])],
      R4: [day('2026-03-29', [part('07:00-15:30', 'SEH')])],
    },
  };
}

beforeAll(() => setLogLevel('silent'));

describe('readPersons', () => {
  it('skips accounts without a resource with one warning that counts them', async () => {
    const warn = vi.spyOn(log(), 'warn');
    try {
      await readPersons(new FakeClient(tenant()), SETTINGS, WINDOW);
      const skipped = warn.mock.calls.filter((call) => String(call[1]).includes('no resource'));
      expect(skipped).toEqual([
        [{ accounts: 2 }, '2 active accounts have no resource and were skipped'],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('builds persons with exact contracts from group rosters', async () => {
    const client = new FakeClient(tenant());
    const persons = await readPersons(client, SETTINGS, WINDOW);

    expect(persons.map((person) => person.ExternalId)).toEqual(['R1', 'R2', 'R3']);
    const [r1] = persons;
    expect(r1).toMatchObject({
      ExternalId: 'R1',
      DisplayName: 'First anna Last anna',
      FirstName: 'First anna',
      LastName: 'Last anna',
      Email: 'anna@example.org',
    });
    expect(r1?.Contracts).toHaveLength(3);
    expect(r1?.Contracts[0]).toEqual({
      ExternalId: expect.stringMatching(/^R1\/2026-03-28\/[0-9a-f]{16}$/),
      RosterDate: '2026-03-28',
      StartDate: '2026-03-28T22:00:00+01:00',
      EndDate: '2026-03-29T07:00:00+02:00',
      AccessStartDate: '2026-03-28T21:00:00+01:00',
      AccessEndDate: '2026-03-29T07:30:00+02:00',
      AllDay: false,
      Shift: { Code: '22:00-07:00 Nacht', Name: 'Nacht' },
      Group: { ExternalId: 'ICU', DisplayName: 'Group ICU', Description: null, Code: null },
      ParentGroup: { ExternalId: 'ZKH', DisplayName: 'Ziekenhuis' },
      Function: { Code: 'VPK', Name: 'Function VPK' },
      LabourHist: null,
      LabourHistGroup: null,
    });
    expect(
      r1?.Contracts.map((contract) => [contract.StartDate, contract.Group.ExternalId]),
    ).toEqual([
      ['2026-03-28T22:00:00+01:00', 'ICU'],
      ['2026-03-29T07:00:00+02:00', 'ICU'],
      ['2026-03-29T16:00:00+02:00', 'SEH'],
    ]);

    expect(persons[1]?.Contracts).toMatchObject([
      {
        StartDate: '2026-03-27T00:00:00+01:00',
        EndDate: '2026-03-28T00:00:00+01:00',
        AllDay: true,
      },
    ]);
    expect(client.callsOf('getGroupRoster').map((call) => call.args)).toEqual([
      ['ICU', '2026-03-27', '2026-03-30'],
      ['SEH', '2026-03-27', '2026-03-30'],
      ['ZKH', '2026-03-27', '2026-03-30'],
    ]);
    expect(client.callsOf('getResourceRoster')).toEqual([]);
  });

  it('chooses the account whose username sorts first for a shared resource', async () => {
    const persons = await readPersons(new FakeClient(tenant()), SETTINGS, WINDOW);
    expect(persons.find((person) => person.ExternalId === 'R3')?.Email).toBe('amy@example.org');
  });

  it('gives two identical parts of one day two distinct contracts', async () => {
    const persons = await readPersons(new FakeClient(tenant()), SETTINGS, WINDOW);
    const ids = persons
      .find((person) => person.ExternalId === 'R3')
      ?.Contracts.map((c) => c.ExternalId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('takes the union of group copies without duplicates, whatever each copy holds', async () => {
    const own = await readPersons(
      new FakeClient(tenant(), { groupCopies: 'own' }),
      SETTINGS,
      WINDOW,
    );
    const all = await readPersons(
      new FakeClient(tenant(), { groupCopies: 'all' }),
      SETTINGS,
      WINDOW,
    );
    expect(all).toEqual(own);
    expect(all.flatMap((person) => person.Contracts)).toHaveLength(6);
  });

  it('reads one roster per person in resource mode with the same result', async () => {
    const group = await readPersons(new FakeClient(tenant()), SETTINGS, WINDOW);
    const client = new FakeClient(tenant(), { concurrency: 2, delay: () => 5 });
    const resource = await readPersons(client, { ...SETTINGS, RosterMode: 'resource' }, WINDOW);

    expect(resource).toEqual(group);
    expect(client.callsOf('getResourceRoster').map((call) => call.args[0])).toEqual([
      'R1',
      'R2',
      'R3',
      'R5',
    ]);
    expect(client.callsOf('getGroupRoster')).toEqual([]);
    expect(client.maxInFlight).toBe(2);
  });

  it('keeps people without shifts only when IncludePersonsWithoutShifts is set', async () => {
    const settings = { ...SETTINGS, IncludePersonsWithoutShifts: true };
    const persons = await readPersons(new FakeClient(tenant()), settings, WINDOW);
    expect(persons.map((person) => person.ExternalId)).toEqual(['R1', 'R2', 'R3', 'R5']);
    expect(persons[3]?.Contracts).toEqual([]);
  });

  it('gives the same result whatever order the answers arrive in', async () => {
    const base = await readPersons(new FakeClient(tenant()), SETTINGS, WINDOW);
    for (let round = 0; round < 5; round++) {
      const client = new FakeClient(tenant(), {
        groupCopies: 'all',
        delay: () => Math.floor(Math.random() * 6),
      });
      expect(await readPersons(client, SETTINGS, WINDOW)).toEqual(base);
    }
  });

  it('reads human resources employed during the window', async () => {
    const data: Tenant = {
      ...tenant(),
      humanResources: [
        { uname: 'R1', firstName: 'Anna', lastName: 'de Vries', email: 'a@x.nl', labourHists: [] },
        {
          uname: 'R2',
          firstName: 'Bob',
          lastName: 'Jansen',
          labourHists: [{ startDate: '2020-01-01', endDate: '2026-03-27' }],
        },
        {
          uname: 'R3',
          firstName: 'Cor',
          labourHists: [{ startDate: '2026-03-31', endDate: null }],
        },
      ],
    };
    const client = new FakeClient(data);
    const persons = await readPersons(
      client,
      { ...SETTINGS, PersonSource: 'humanresources' },
      WINDOW,
    );
    expect(persons.map((person) => [person.ExternalId, person.DisplayName])).toEqual([
      ['R2', 'Bob Jansen'],
    ]);
    expect(client.callsOf('listUsers')).toEqual([]);
  });
});

describe('readPersons fails closed', () => {
  it('fails as a whole when one group roster fails, naming the group', async () => {
    const client = new FakeClient(tenant(), {
      fail: (call) =>
        call.args[0] === 'SEH'
          ? new TransientError('HTTP 503 after 4 retries.', undefined)
          : undefined,
    });
    const failure = await readPersons(client, SETTINGS, WINDOW).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IncompleteError);
    expect(String((failure as Error).message)).toMatch(/roster of group "SEH".*HTTP 503/);
  });

  it('treats a 211 on a roster of a listed person as a failure, not an empty roster', async () => {
    const client = new FakeClient(tenant(), {
      fail: (call) =>
        call.args[0] === 'R2' ? new NotFoundError('211 - resource', undefined) : undefined,
    });
    const settings = { ...SETTINGS, RosterMode: 'resource' as const };
    await expect(readPersons(client, settings, WINDOW)).rejects.toThrow(
      /211 \(not found\) for the roster of resource "R2"/,
    );
  });

  it('starts no further roster requests after a failure', async () => {
    const client = new FakeClient(tenant(), {
      concurrency: 1,
      fail: (call) => (call.args[0] === 'R1' ? new TransientError('reset', undefined) : undefined),
    });
    const settings = { ...SETTINGS, RosterMode: 'resource' as const };
    await expect(readPersons(client, settings, WINDOW)).rejects.toBeInstanceOf(IncompleteError);
    expect(client.callsOf('getResourceRoster').map((call) => call.args[0])).toEqual(['R1']);
  });

  it('names the list that failed', async () => {
    const client = new FakeClient(tenant(), {
      fail: (call) =>
        call.method === 'listUsers' ? new TransientError('timeout', undefined) : undefined,
    });
    await expect(readPersons(client, SETTINGS, WINDOW)).rejects.toThrow(
      /Reading the people failed.*timeout/,
    );
    expect(client.callsOf('getGroupRoster')).toEqual([]);
  });
});
