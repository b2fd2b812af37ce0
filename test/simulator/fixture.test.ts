import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTenantData } from '../../src/simulator/tenant.js';

const tenant = parseTenantData(
  JSON.parse(readFileSync(new URL('../../fixtures/tenant-small.json', import.meta.url), 'utf8')),
);
const days = Object.values(tenant.rosters).flat();
const codes = days.flatMap((day) => (day.parts ?? []).map((part) => part.shift.uname));

describe('fixtures/tenant-small.json', () => {
  it('holds night shifts on the DST nights of 2026 in both time formats', () => {
    const nightOn = (date: string) =>
      days
        .filter((day) => day.rosterDate === date)
        .flatMap((day) => (day.parts ?? []).map((part) => part.shift.uname));

    expect(nightOn('2026-03-28')).toEqual(
      expect.arrayContaining(['22:00-07:00 Nacht', '2300-0715']),
    );
    expect(nightOn('2026-10-24')).toEqual(
      expect.arrayContaining(['22:00-07:00 Nacht', '2300-0715']),
    );
    expect(codes).toContain('0700-1530');
    expect(codes).toContain('07:00-15:30 Vroeg');
    expect(codes).toContain('Bereikbaarheidsdienst');
  });

  it('holds an absence, three parts on one day and a person planned in two groups', () => {
    const groupsOf = (resource: string) =>
      new Set(
        (tenant.rosters[resource] ?? []).flatMap((day) =>
          (day.parts ?? []).map((part) => part.group.uname),
        ),
      );

    expect(days.some((day) => day.absence && (day.parts ?? []).length > 0)).toBe(true);
    expect(days.some((day) => (day.parts ?? []).length === 3)).toBe(true);
    expect(groupsOf('1002')).toEqual(new Set(['ZRG-CAR-3B', 'ZRG-NEU-4A']));
  });

  it('holds the awkward accounts', () => {
    const usernames = tenant.users.map((user) => user.username);
    const smit = tenant.users.filter((user) => user.resource === '1005');
    const withAccount = new Set(tenant.users.map((user) => user.resource));

    expect(usernames).toEqual(
      expect.arrayContaining([
        'a.vandermeer@zorggroep-oost.nl',
        'ingrid de vries',
        'extern/n.bakker',
      ]),
    );
    expect(smit).toHaveLength(2);
    expect(tenant.users.some((user) => user.resource === null)).toBe(true);
    expect(tenant.humanResources.some((hr) => !withAccount.has(hr.uname))).toBe(true);
    expect(tenant.humanResources.map((hr) => hr.firstName).join(' ')).toMatch(/ë.*é|é.*ë/);
  });

  it('names only existing groups in roles and rosters', () => {
    const groups = new Set(tenant.resourceGroups.map((group) => group.uname));
    const named = [
      ...tenant.users.flatMap((user) => (user.roles ?? []).map((role) => role.resourceGroup)),
      ...days.flatMap((day) => (day.parts ?? []).map((part) => part.group.uname)),
    ];

    expect(named.every((group) => group && groups.has(group))).toBe(true);
  });
});
