import { describe, expect, it } from 'vitest';
import {
  groupRosterSchema,
  humanResourceSchema,
  resourceGroupSchema,
  userSchema,
  type ResourceGroup,
} from '../../src/inplanning/schemas.js';
import { generateTenant } from '../../src/simulator/generate.js';
import { createRandom } from '../../src/simulator/random.js';
import type { TenantData } from '../../src/simulator/tenant.js';

const OPTIONS = { seed: 42, users: 800, today: '2026-03-28', days: 14 };

function depthOf(group: ResourceGroup, byUname: Map<string, ResourceGroup>): number {
  let depth = 1;
  for (let parent = group.parent; parent; parent = byUname.get(parent)?.parent) depth += 1;
  return depth;
}

function allParts(tenant: TenantData) {
  return Object.values(tenant.rosters).flatMap((days) => days.flatMap((day) => day.parts ?? []));
}

describe('generated tenants', () => {
  const tenant = generateTenant(OPTIONS);

  it('is the same for the same seed and differs for another seed', () => {
    const again = generateTenant(OPTIONS);
    const other = generateTenant({ ...OPTIONS, seed: 43 });

    expect(JSON.stringify(again)).toBe(JSON.stringify(tenant));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(tenant));
  });

  it('has a group tree three levels deep with about one group per 40 people', () => {
    const byUname = new Map(tenant.resourceGroups.map((group) => [group.uname, group]));
    const depths = tenant.resourceGroups.map((group) => depthOf(group, byUname));

    expect(Math.max(...depths)).toBe(3);
    expect(new Set(depths)).toEqual(new Set([1, 2, 3]));
    expect(tenant.resourceGroups.length).toBeGreaterThanOrEqual(800 / 60);
    expect(tenant.resourceGroups.length).toBeLessThanOrEqual(800 / 25);
    expect(tenant.resourceGroups.map((group) => group.name)).toContain('Afdeling Cardiologie');
    expect(new Set(byUname.keys()).size).toBe(tenant.resourceGroups.length);
  });

  it('keeps three levels even for a handful of people', () => {
    const small = generateTenant({ ...OPTIONS, users: 5 });
    const byUname = new Map(small.resourceGroups.map((group) => [group.uname, group]));

    expect(Math.max(...small.resourceGroups.map((group) => depthOf(group, byUname)))).toBe(3);
  });

  it('fits the API schemas', () => {
    expect(tenant.users.every((user) => userSchema.safeParse(user).success)).toBe(true);
    expect(tenant.humanResources.every((hr) => humanResourceSchema.safeParse(hr).success)).toBe(
      true,
    );
    expect(tenant.resourceGroups.every((g) => resourceGroupSchema.safeParse(g).success)).toBe(true);
    const asGroupRoster = {
      resourceRosters: Object.entries(tenant.rosters).map(([uname, days]) => ({ uname, days })),
    };
    expect(groupRosterSchema.safeParse(asGroupRoster).success).toBe(true);
  });

  it('has Dutch names with diacritics and prefixes, and usernames of every style', () => {
    const lastNames = tenant.humanResources.map((hr) => hr.lastName ?? '');
    const names = tenant.humanResources.map((hr) => `${hr.firstName} ${hr.lastName}`).join('|');
    const usernames = tenant.users.map((user) => user.username);

    expect(names).toMatch(/[éëï]/);
    expect(lastNames.some((name) => name.startsWith('van der '))).toBe(true);
    expect(lastNames.some((name) => name.startsWith('de '))).toBe(true);
    expect(usernames.some((name) => name.includes('@') && name.includes('.'))).toBe(true);
    expect(usernames.some((name) => name.includes(' '))).toBe(true);
    expect(new Set(usernames).size).toBe(usernames.length);
  });

  it('has accounts with and without a resource, people without an account and duplicates', () => {
    const perResource = new Map<string, number>();
    for (const user of tenant.users) {
      if (user.resource) perResource.set(user.resource, (perResource.get(user.resource) ?? 0) + 1);
    }

    expect(tenant.users.some((user) => !user.resource)).toBe(true);
    expect(tenant.humanResources.some((hr) => !perResource.has(hr.uname))).toBe(true);
    expect([...perResource.values()].some((count) => count > 1)).toBe(true);
  });

  it('stores active as a boolean for some users and as "True"/"False" for others', () => {
    const kinds = new Set(tenant.users.map((user) => typeof user.active));
    const values = new Set(tenant.users.map((user) => user.active));

    expect(kinds).toEqual(new Set(['boolean', 'string']));
    expect(values.has('False') || values.has(false)).toBe(true);
  });

  it('gives roles that only name existing groups, and labour histories', () => {
    const groups = new Set(tenant.resourceGroups.map((group) => group.uname));
    const roleGroups = tenant.users.flatMap((user) =>
      (user.roles ?? []).map((r) => r.resourceGroup),
    );

    expect(roleGroups.length).toBeGreaterThan(tenant.users.length);
    expect(roleGroups.every((group) => group && groups.has(group))).toBe(true);
    expect(tenant.humanResources.every((hr) => (hr.labourHists ?? []).length >= 1)).toBe(true);
  });

  it('plans both time formats, nights, codes without times, absences, up to 3 parts', () => {
    const codes = new Set(allParts(tenant).map((part) => part.shift.uname));
    const days = Object.values(tenant.rosters).flat();
    const groupsPerPerson = Object.values(tenant.rosters).map(
      (personDays) =>
        new Set(personDays.flatMap((d) => (d.parts ?? []).map((p) => p.group.uname))).size,
    );

    expect([...codes].some((code) => /^\d\d:\d\d-\d\d:\d\d /.test(code))).toBe(true);
    expect([...codes].some((code) => /^\d{4}-\d{4}$/.test(code))).toBe(true);
    expect(codes).toContain('22:00-07:00 Nacht');
    expect(codes).toContain('2300-0715');
    expect(codes).toContain('Bereikbaarheidsdienst');
    expect(codes).toContain('Scholing');
    expect(days.some((day) => day.absence)).toBe(true);
    expect(Math.max(...days.map((day) => day.parts?.length ?? 0))).toBe(3);
    expect(groupsPerPerson.some((count) => count >= 2)).toBe(true);
    expect(allParts(tenant).some((part) => part.prop?.name === 'Verpleegkundige')).toBe(true);
  });

  it('generates 30 000 people over 14 days within a few seconds, sharing part objects', () => {
    const started = performance.now();
    const large = generateTenant({ ...OPTIONS, users: 30_000 });
    const elapsed = performance.now() - started;
    const parts = allParts(large);

    expect(large.humanResources).toHaveLength(30_000);
    expect(elapsed).toBeLessThan(8_000);
    expect(new Set(parts).size).toBeLessThan(parts.length / 5);
  });
});

describe('seeded random', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const first = createRandom(5);
    const second = createRandom(5);
    const a = Array.from({ length: 100 }, () => first.next());
    const b = Array.from({ length: 100 }, () => second.next());

    expect(a).toEqual(b);
    expect(a.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(Array.from({ length: 200 }, () => first.int(1, 3)))).toEqual(new Set([1, 2, 3]));
  });
});
