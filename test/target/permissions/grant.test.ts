import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, InputError } from '../../../src/errors.js';
import type { User } from '../../../src/inplanning/schemas.js';
import { setLogLevel } from '../../../src/log.js';
import { run as grant } from '../../../src/target/grant.js';
import { assignmentOf, formatAssignment } from '../../../src/target/role-assignment.js';
import {
  actionInput,
  outputOf,
  permissionTenant,
  role,
  tempDir,
  testSettings,
  writeCatalogue,
} from './fake-tenant.js';

const USERNAME = 'josé.de.vries@zorg.nl';
const ODD_ROLE = 'Plan&&ner "nacht"';
const ODD_GROUP = "Afdeling Crèche && 'Zuid'";
const ODD_PAIR = `role "${ODD_ROLE}" for resource group "${ODD_GROUP}"`;

const catalogue = {
  lookups: { '{{Dept}}': 'Department.ExternalId' },
  permissions: [
    {
      reference: 'Odd',
      displayName: 'Odd names',
      role: {
        role: ODD_ROLE,
        resourceGroup: ODD_GROUP,
        exchangeGroup: 'ZRG',
        shiftGroup: 'ZRG',
        worklocationGroup: 'ZRG',
        userGroup: 'Root',
      },
    },
    {
      reference: 'Planner',
      displayName: 'Planner of own department',
      role: { role: 'Planner', resourceGroup: '{{Dept}}', userGroup: 'Planners' },
    },
  ],
};

const other = role('Medewerker', 'ZRG-CAR-1A', { startDate: '2019-05-01', custom: 'kept' });
const baseUser: User = {
  username: USERNAME,
  firstName: 'José',
  lastName: 'de Vries',
  email: 'jose@zorg.nl',
  active: 'True',
  userGroup: 'Medewerkers',
  resource: '10042',
  tenantOnly: { keep: ['me'] },
  roles: [other],
};

const temp = tempDir();
const file = writeCatalogue(temp.dir, catalogue);
let tenant = permissionTenant([baseUser]);

function setUp(users: User[], groups: { uname: string; name?: string }[] = []) {
  tenant.server.close();
  tenant = permissionTenant(users, groups);
  tenant.server.listen({ onUnhandledRequest: 'error' });
}

function context(reference: string, extra: Record<string, unknown> = {}) {
  return {
    Operation: 'grant',
    References: { Account: USERNAME, Permission: { Reference: reference } },
    ...extra,
  };
}

function contract(id: string, dept: string | null, inConditions: boolean, end?: string) {
  return {
    ExternalId: id,
    Department: { ExternalId: dept, DisplayName: `Afdeling ${dept}` },
    EndDate: end ?? null,
    Context: { InConditions: inConditions },
  };
}

const ENCODED_PATH = `/users/${encodeURIComponent(USERNAME)}`;

beforeAll(() => {
  setLogLevel('silent');
  tenant.server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => {
  // 23:30 UTC on 10 March is already 11 March in Amsterdam.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-10T23:30:00Z'));
  setUp([baseUser]);
});
afterEach(() => vi.useRealTimers());
afterAll(() => {
  tenant.server.close();
  temp.remove();
});

describe('grant of a static permission', () => {
  it('adds the assignment, keeps every other field and role, and verifies it', async () => {
    const settings = testSettings(temp.dir);
    const output = outputOf(await grant(actionInput(settings, file, context('Odd'))));

    const added = {
      role: ODD_ROLE,
      resourceGroup: ODD_GROUP,
      exchangeGroup: 'ZRG',
      shiftGroup: 'ZRG',
      worklocationGroup: 'ZRG',
      userGroup: 'Root',
      startDate: '2026-03-11',
      endDate: null,
    };
    expect(tenant.puts()).toEqual([{ ...baseUser, roles: [other, added] }]);
    expect(tenant.sent.map((item) => `${item.method} ${item.path}`)).toEqual([
      `GET ${ENCODED_PATH}`,
      `GET ${ENCODED_PATH}`,
      'PUT /users',
      `GET ${ENCODED_PATH}`,
    ]);
    expect(output).toEqual({
      Success: true,
      AuditLogs: [
        {
          Action: 'GrantPermission',
          Message: `Granted ${ODD_PAIR} to account "${USERNAME}".`,
          IsError: false,
        },
      ],
    });
  });

  it('changes nothing, and says so, when the account already holds it', async () => {
    const held = role(ODD_ROLE, ODD_GROUP, {
      exchangeGroup: 'ZRG',
      shiftGroup: 'ZRG',
      worklocationGroup: 'ZRG',
      userGroup: 'Root',
    });
    setUp([{ ...baseUser, roles: [other, held] }]);
    const output = outputOf(await grant(actionInput(testSettings(temp.dir), file, context('Odd'))));

    expect(tenant.writes()).toEqual([]);
    expect(output.Success).toBe(true);
    expect(output.AuditLogs[0]?.Message).toMatch(/already holds .*; nothing changed\.$/);
  });

  it('brings an existing assignment for the same pair up to date, keeping its start', async () => {
    const stale = role(ODD_ROLE, ODD_GROUP, {
      exchangeGroup: 'OLD',
      shiftGroup: 'ZRG',
      worklocationGroup: 'ZRG',
      userGroup: 'Root',
      endDate: '2025-12-31',
      note: 'tenant field',
    });
    setUp([{ ...baseUser, roles: [stale, other] }]);
    const output = outputOf(await grant(actionInput(testSettings(temp.dir), file, context('Odd'))));

    const updated = { ...stale, exchangeGroup: 'ZRG', endDate: null };
    expect(tenant.puts()).toEqual([{ ...baseUser, roles: [updated, other] }]);
    expect(output.AuditLogs[0]?.Message).toContain(
      'exchangeGroup "OLD" → "ZRG", endDate "2025-12-31" → (none)',
    );
  });

  it('fails without writing when the account does not exist', async () => {
    setUp([]);
    const output = outputOf(await grant(actionInput(testSettings(temp.dir), file, context('Odd'))));

    expect(output.Success).toBe(false);
    expect(output.AuditLogs).toEqual([
      {
        Action: 'GrantPermission',
        Message:
          `Account "${USERNAME}" does not exist in InPlanning; ` +
          'permission "Odd" cannot be granted.',
        IsError: true,
      },
    ]);
    expect(tenant.writes()).toEqual([]);
  });

  it('writes again from a fresh read when the read-back lacks the change', async () => {
    tenant.ignorePuts = 1;
    const output = outputOf(await grant(actionInput(testSettings(temp.dir), file, context('Odd'))));

    expect(output.Success).toBe(true);
    expect(tenant.puts()).toHaveLength(2);
    expect(tenant.users.get(USERNAME)?.roles?.map((item) => item.role)).toEqual([
      'Medewerker',
      ODD_ROLE,
    ]);
  });

  it('gives up with a conflict after a bounded number of lost writes', async () => {
    tenant.ignorePuts = 100;
    const input = actionInput(testSettings(temp.dir), file, context('Odd'));

    await expect(grant(input)).rejects.toBeInstanceOf(ConflictError);
    expect(tenant.puts()).toHaveLength(4);
  });

  it('refuses a permission the catalogue does not hold before sending anything', async () => {
    const input = actionInput(testSettings(temp.dir), file, context('Nobody'));

    await expect(grant(input)).rejects.toBeInstanceOf(InputError);
    expect(tenant.sent).toEqual([]);
  });

  it('takes the latest contract end as endDate when RoleEndDateFromContract is set', async () => {
    const settings = testSettings(temp.dir, { RoleEndDateFromContract: 'true' });
    const person = {
      Person: {
        Contracts: [
          contract('C1', 'CAR', true, '2026-06-30T00:00:00Z'),
          contract('C2', 'NEU', true, '2026-09-30T00:00:00+02:00'),
          contract('C3', 'NEU', false, '2027-12-31T00:00:00Z'),
        ],
      },
    };
    await grant(actionInput(settings, file, context('Odd'), { personContext: person }));

    const written = tenant.puts()[0] as User;
    expect(written.roles?.[1]).toMatchObject({ startDate: '2026-03-11', endDate: '2026-09-30' });
  });
});

describe('preview of a grant', () => {
  it('writes nothing and reports each group that does not exist', async () => {
    setUp([baseUser], [{ uname: 'ZRG', name: 'Zorg' }]);
    const input = actionInput(testSettings(temp.dir), file, context('Odd'), { dryRun: true });
    const output = outputOf(await grant(input));

    expect(tenant.writes()).toEqual([]);
    expect(tenant.sent.map((item) => `${item.method} ${item.path}`)).toEqual([
      `GET ${ENCODED_PATH}`,
      'GET /v2/resourcegroups',
    ]);
    expect(output.Success).toBe(false);
    expect(output.AuditLogs).toEqual([
      {
        Action: 'GrantPermission',
        Message: `Preview: would grant ${ODD_PAIR} to account "${USERNAME}".`,
        IsError: false,
      },
      {
        Action: 'GrantPermission',
        Message:
          `Preview: The resourceGroup "${ODD_GROUP}" of role "${ODD_ROLE}" does not exist in ` +
          'InPlanning; the grant would be refused.',
        IsError: true,
      },
    ]);
  });

  it('succeeds when every group exists, found by uname or by name', async () => {
    setUp([baseUser], [{ uname: 'ZRG' }, { uname: 'X-1', name: ODD_GROUP }]);
    const input = actionInput(testSettings(temp.dir), file, context('Odd'), { dryRun: true });
    const output = outputOf(await grant(input));

    expect(output.Success).toBe(true);
    expect(tenant.writes()).toEqual([]);
  });
});

describe('grant of a dynamic permission', () => {
  const plannerCar = role('Planner', 'ZRG-CAR', { userGroup: 'Planners' });

  it('grants per contract in conditions, revokes what is no longer desired', async () => {
    const elsewhere = role('Planner', 'ZRG-OLD', { userGroup: 'Planners' });
    setUp([{ ...baseUser, roles: [other, plannerCar, elsewhere] }]);
    const person = {
      Person: {
        Contracts: [
          contract('C1', 'ZRG-CAR', true),
          contract('C2', ODD_GROUP, true),
          contract('C3', 'ZRG-NEU', false),
        ],
      },
    };
    const current = [
      {
        DisplayName: 'Planner / ZRG-CAR',
        Reference: { Id: formatAssignment(assignmentOf(plannerCar)) },
      },
      {
        DisplayName: 'Planner / ZRG-OLD',
        Reference: { Id: formatAssignment(assignmentOf(elsewhere)) },
      },
      { DisplayName: 'Foreign', Reference: { Id: '["Beheerder","ZRG"]' } },
    ];
    const input = actionInput(
      testSettings(temp.dir),
      file,
      context('Planner', { CurrentPermissions: current }),
      { personContext: person },
    );
    const output = outputOf(await grant(input));

    const added = {
      ...role('Planner', ODD_GROUP, { userGroup: 'Planners' }),
      startDate: '2026-03-11',
    };
    expect(tenant.puts()).toEqual([{ ...baseUser, roles: [other, plannerCar, added] }]);
    expect(output.Success).toBe(true);
    expect(output.SubPermissions).toEqual([
      { DisplayName: 'Planner / ZRG-CAR', Reference: { Id: '["Planner","ZRG-CAR"]' } },
      {
        DisplayName: `Planner / ${ODD_GROUP}`,
        Reference: { Id: JSON.stringify(['Planner', ODD_GROUP]) },
      },
    ]);
    expect(output.AuditLogs.map((log) => [log.Action, log.Message])).toEqual([
      [
        'RevokePermission',
        'The current sub-permission "[\\"Beheerder\\",\\"ZRG\\"]" is not a role assignment of ' +
          'permission "Planner"; it was left alone.',
      ],
      [
        'RevokePermission',
        `Revoked role "Planner" for resource group "ZRG-OLD" from account "${USERNAME}".`,
      ],
      [
        'GrantPermission',
        `Account "${USERNAME}" already holds role "Planner" for resource group "ZRG-CAR"; ` +
          'nothing changed.',
      ],
      [
        'GrantPermission',
        `Granted role "Planner" for resource group "${ODD_GROUP}" to account "${USERNAME}".`,
      ],
    ]);
  });

  it('fails naming the contract and placeholder with an empty value, sending nothing', async () => {
    const person = {
      Person: { Contracts: [contract('C1', 'ZRG-CAR', true), contract('C9', ' ', true)] },
    };
    const input = actionInput(testSettings(temp.dir), file, context('Planner'), {
      personContext: person,
    });
    const output = outputOf(await grant(input));

    expect(output.Success).toBe(false);
    expect(output.AuditLogs[0]).toMatchObject({ IsError: true });
    expect(output.AuditLogs[0]?.Message).toContain('Contract "C9" has no value for {{Dept}}');
    expect(tenant.sent).toEqual([]);
  });

  it('fails closed, sending nothing, when the person context holds no contracts', async () => {
    const current = [{ DisplayName: 'x', Reference: { Id: '["Planner","ZRG-CAR"]' } }];
    const input = actionInput(
      testSettings(temp.dir),
      file,
      context('Planner', { Origin: 'reconciliation', CurrentPermissions: current }),
    );
    const output = outputOf(await grant(input));

    expect(output.Success).toBe(false);
    expect(output.AuditLogs[0]?.Message).toContain('holds no Contracts');
    expect(tenant.sent).toEqual([]);
  });

  it('uses all contracts, and says so, when none carries Context', async () => {
    const person = {
      Person: {
        Contracts: [
          { ExternalId: 'C1', Department: { ExternalId: 'ZRG-CAR' } },
          { ExternalId: 'C2', Department: { ExternalId: 'ZRG-CAR' } },
        ],
      },
    };
    const input = actionInput(testSettings(temp.dir), file, context('Planner'), {
      personContext: person,
    });
    const output = outputOf(await grant(input));

    expect(output.AuditLogs[0]?.Message).toBe(
      'No contract carries Context, so all 2 contract(s) were used as if in conditions.',
    );
    expect(output.SubPermissions).toEqual([
      { DisplayName: 'Planner / ZRG-CAR', Reference: { Id: '["Planner","ZRG-CAR"]' } },
    ]);
    expect((tenant.puts()[0] as User).roles).toHaveLength(2);
  });

  it('gives each assignment its contract end date in the tenant zone', async () => {
    const settings = testSettings(temp.dir, { RoleEndDateFromContract: true });
    const person = {
      Person: {
        Contracts: [
          // 22:30 UTC on 30 June is 1 July in Amsterdam.
          contract('C1', 'ZRG-CAR', true, '2026-06-30T22:30:00Z'),
          contract('C2', 'ZRG-NEU', true, '2026-08-31'),
          contract('C3', 'ZRG-NEU', true, '2026-12-31'),
        ],
      },
    };
    await grant(actionInput(settings, file, context('Planner'), { personContext: person }));

    const roles = (tenant.puts()[0] as User).roles ?? [];
    expect(roles.slice(1).map((item) => [item.resourceGroup, item.endDate])).toEqual([
      ['ZRG-CAR', '2026-07-01'],
      ['ZRG-NEU', '2026-12-31'],
    ]);
  });

  it('names its audit logs UpdatePermission when the engine asks for an update', async () => {
    const person = { Person: { Contracts: [contract('C1', 'ZRG-CAR', true)] } };
    const input = actionInput(
      testSettings(temp.dir),
      file,
      context('Planner', { Operation: 'update' }),
      { personContext: person },
    );
    const output = outputOf(await grant(input));

    expect(output.AuditLogs.map((log) => log.Action)).toEqual(['UpdatePermission']);
    expect(output.SubPermissions).toHaveLength(1);
  });

  it('in preview checks the groups of every desired assignment and writes nothing', async () => {
    setUp([baseUser], [{ uname: 'ZRG-CAR' }]);
    const person = {
      Person: { Contracts: [contract('C1', 'ZRG-CAR', true), contract('C2', 'GONE', true)] },
    };
    const input = actionInput(testSettings(temp.dir), file, context('Planner'), {
      personContext: person,
      dryRun: true,
    });
    const output = outputOf(await grant(input));

    expect(tenant.writes()).toEqual([]);
    expect(output.Success).toBe(false);
    expect(output.AuditLogs.filter((log) => log.IsError).map((log) => log.Message)).toEqual([
      'Preview: The resourceGroup "GONE" of role "Planner" does not exist in InPlanning; ' +
        'the grant would be refused.',
    ]);
  });
});
