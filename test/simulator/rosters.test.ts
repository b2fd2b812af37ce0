import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Day } from '../../src/inplanning/schemas.js';
import type { Simulator } from '../../src/simulator/handler.js';
import { accessToken, call, read, simulator } from './support.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/tenant-small.json', import.meta.url), 'utf8'),
) as unknown;

interface GroupRoster {
  resourceRosters: { uname: string; days: Day[] }[];
}

const shiftsOf = (days: Day[]) =>
  days.map((day) => [day.rosterDate, ...(day.parts ?? []).map((part) => part.shift.uname)]);

describe('simulator rosters', () => {
  let sim: Simulator;
  let token: string;

  beforeAll(async () => {
    sim = simulator({ data: fixture });
    token = await accessToken(sim);
  });

  const resourceRoster = async (query: string) =>
    read<{ resource: string; days: Day[] }>(
      await call(sim, `/roster/resourceRoster?${query}`, { token }),
    );

  it('returns a resource roster between inclusive dates', async () => {
    const { status, body } = await resourceRoster(
      'resource=1001&startDate=2026-03-28&endDate=2026-10-24',
    );

    expect(status).toBe(200);
    expect(body.resource).toBe('1001');
    expect(shiftsOf(body.days)).toEqual([
      ['2026-03-28', '22:00-07:00 Nacht'],
      ['2026-10-24', '2300-0715'],
    ]);
  });

  it('returns no days outside the roster, empty days for a resource without shifts', async () => {
    const outside = await resourceRoster('resource=1001&startDate=2026-04-01&endDate=2026-04-30');
    const idle = await resourceRoster('resource=1008&startDate=2026-01-01&endDate=2026-12-31');

    expect(outside.body.days).toEqual([]);
    expect(idle).toEqual({ status: 200, body: { resource: '1008', days: [] } });
  });

  it('answers 211 for an unknown resource and 400 for missing or bad dates', async () => {
    const unknown = await resourceRoster('resource=9999&startDate=2026-03-01&endDate=2026-03-31');
    const missing = await resourceRoster('resource=1001&startDate=2026-03-01');
    const invalid = await resourceRoster('resource=1001&startDate=2026-02-30&endDate=2026-03-31');
    const reversed = await resourceRoster('resource=1001&startDate=2026-03-31&endDate=2026-03-01');

    expect(unknown.status).toBe(400);
    expect((unknown.body as unknown as { message: string }).message).toMatch(/^211 - /);
    expect([missing.status, invalid.status, reversed.status]).toEqual([400, 400, 400]);
  });

  it('keeps an absence day with its planned shift', async () => {
    const { body } = await resourceRoster('resource=1003&startDate=2026-03-28&endDate=2026-03-30');

    expect(body.days.map((day) => [day.rosterDate, day.absence, day.parts?.length])).toEqual([
      ['2026-03-28', { uname: 'ZIEK', name: 'Ziekte' }, 1],
      ['2026-03-29', null, 1],
      ['2026-03-30', { uname: 'VAK', name: 'Vakantie' }, 0],
    ]);
  });

  it('returns only the group parts of each person in a group roster', async () => {
    const { status, body } = await read<GroupRoster>(
      await call(
        sim,
        '/roster/groupRoster?resourceGroup=ZRG-NEU-4A&startDate=2026-03-27&endDate=2026-03-29',
        {
          token,
        },
      ),
    );
    const ingrid = body.resourceRosters.find((roster) => roster.uname === '1002');

    expect(status).toBe(200);
    expect(body.resourceRosters.map((roster) => roster.uname)).toEqual(['1002', '1004', '1007']);
    expect(shiftsOf(ingrid!.days)).toEqual([
      ['2026-03-28', '0830-1700'],
      ['2026-03-29', '17:00-21:00 Gebroken'],
    ]);
  });

  it('answers 211 for an unknown group and an empty list for a group nobody works in', async () => {
    const unknown = await call(
      sim,
      '/roster/groupRoster?resourceGroup=NOPE&startDate=2026-03-27&endDate=2026-03-29',
      { token },
    );
    const empty = await read<GroupRoster>(
      await call(
        sim,
        '/roster/groupRoster?resourceGroup=FAC&startDate=2026-03-27&endDate=2026-03-29',
        {
          token,
        },
      ),
    );

    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/^211 - /);
    expect(empty.body).toEqual({ resourceRosters: [] });
  });

  it('serves generated rosters from yesterday for the given number of days', async () => {
    const generated = simulator({ users: 60, today: '2026-03-28', days: 5 });
    const generatedToken = await accessToken(generated);
    const dates = new Set<string>();
    for (const days of Object.values(generated.state().rosters)) {
      for (const day of days) dates.add(day.rosterDate);
    }

    const roster = await read<{ days: Day[] }>(
      await call(
        generated,
        '/roster/resourceRoster?resource=100001&startDate=2026-03-28&endDate=2026-03-28',
        {
          token: generatedToken,
        },
      ),
    );

    expect([...dates].sort()).toEqual([
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
      '2026-04-02',
    ]);
    expect(roster.body.days.every((day) => day.rosterDate === '2026-03-28')).toBe(true);
  });
});
