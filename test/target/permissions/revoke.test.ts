import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../src/inplanning/schemas.js';
import { setLogLevel } from '../../../src/log.js';
import { run as revoke } from '../../../src/target/revoke.js';
import { formatAssignment } from '../../../src/target/role-assignment.js';
import {
  actionInput,
  outputOf,
  permissionTenant,
  role,
  tempDir,
  testSettings,
  writeCatalogue,
} from './fake-tenant.js';

const USERNAME = 'Ünal Öztürk';
const ODD_ROLE = 'Coördinator \'nacht\' && "dag"';
const ODD_GROUP = 'Zorg && Welzijn "Oost"';
const ODD_PAIR = `role "${ODD_ROLE}" for resource group "${ODD_GROUP}"`;

const catalogue = {
  lookups: { '{{Team}}': 'Team.Code' },
  permissions: [
    { reference: 'Odd', role: { role: ODD_ROLE, resourceGroup: ODD_GROUP, userGroup: 'Root' } },
    { reference: 'TeamPlanner', role: { role: 'Planner', resourceGroup: 'T-{{Team}}' } },
  ],
};

const odd = role(ODD_ROLE, ODD_GROUP, { userGroup: 'Root' });
const sameRoleOtherGroup = role(ODD_ROLE, 'Elders');
const plannerA = role('Planner', 'T-1A && 2B');
const plannerB = role('Planner', 'T-2B');
const plannerManual = role('Planner', 'T-9Z');
const baseUser: User = {
  username: USERNAME,
  firstName: 'Ünal',
  lastName: 'Öztürk',
  active: true,
  resource: 'R-7',
  extra: 42,
  roles: [sameRoleOtherGroup, odd, plannerA, plannerB, plannerManual],
};

const temp = tempDir();
const file = writeCatalogue(temp.dir, catalogue);
let tenant = permissionTenant([baseUser]);

function setUp(users: User[]) {
  tenant.server.close();
  tenant = permissionTenant(users);
  tenant.server.listen({ onUnhandledRequest: 'error' });
}

function context(reference: string, extra: Record<string, unknown> = {}) {
  return {
    Operation: 'revoke',
    References: { Account: USERNAME, Permission: { Reference: reference } },
    ...extra,
  };
}

const ENCODED_PATH = `/users/${encodeURIComponent(USERNAME)}`;

beforeAll(() => setLogLevel('silent'));
beforeEach(() => setUp([baseUser]));
afterAll(() => {
  tenant.server.close();
  temp.remove();
});

describe('revoke of a static permission', () => {
  it('removes only its pair, keeping the same role in another group and every field', async () => {
    const output = outputOf(
      await revoke(actionInput(testSettings(temp.dir), file, context('Odd'))),
    );

    expect(tenant.puts()).toEqual([
      { ...baseUser, roles: [sameRoleOtherGroup, plannerA, plannerB, plannerManual] },
    ]);
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
          Action: 'RevokePermission',
          Message: `Revoked ${ODD_PAIR} from account "${USERNAME}".`,
          IsError: false,
        },
      ],
    });
  });

  it('changes nothing, and says so, when the account does not hold it', async () => {
    setUp([{ ...baseUser, roles: [sameRoleOtherGroup] }]);
    const output = outputOf(
      await revoke(actionInput(testSettings(temp.dir), file, context('Odd'))),
    );

    expect(tenant.writes()).toEqual([]);
    expect(output.Success).toBe(true);
    expect(output.AuditLogs[0]?.Message).toMatch(/does not hold .*; nothing changed\.$/);
  });

  it('succeeds when the account does not exist', async () => {
    setUp([]);
    const output = outputOf(
      await revoke(actionInput(testSettings(temp.dir), file, context('Odd'))),
    );

    expect(output).toEqual({
      Success: true,
      AuditLogs: [
        {
          Action: 'RevokePermission',
          Message:
            `Account "${USERNAME}" does not exist in InPlanning; ` +
            'permission "Odd" has nothing left to revoke.',
          IsError: false,
        },
      ],
    });
    expect(tenant.writes()).toEqual([]);
  });

  it('in preview reports the removal and writes nothing', async () => {
    const input = actionInput(testSettings(temp.dir), file, context('Odd'), { dryRun: true });
    const output = outputOf(await revoke(input));

    expect(tenant.writes()).toEqual([]);
    expect(output.AuditLogs[0]?.Message).toBe(
      `Preview: would revoke ${ODD_PAIR} from account "${USERNAME}".`,
    );
  });
});

describe('revoke of a dynamic permission', () => {
  it('removes every assignment CurrentPermissions lists, and nothing else', async () => {
    const current = [plannerA, plannerB].map((item) => ({
      DisplayName: `Planner / ${item.resourceGroup}`,
      Reference: { Id: formatAssignment({ role: 'Planner', resourceGroup: item.resourceGroup! }) },
    }));
    const input = actionInput(
      testSettings(temp.dir),
      file,
      context('TeamPlanner', { CurrentPermissions: current }),
    );
    const output = outputOf(await revoke(input));

    expect(tenant.puts()).toEqual([
      { ...baseUser, roles: [sameRoleOtherGroup, odd, plannerManual] },
    ]);
    expect(output.Success).toBe(true);
    expect(output.SubPermissions).toEqual([]);
    expect(output.AuditLogs.map((log) => log.Message)).toEqual([
      `Revoked role "Planner" for resource group "T-1A && 2B" from account "${USERNAME}".`,
      `Revoked role "Planner" for resource group "T-2B" from account "${USERNAME}".`,
    ]);
  });

  it('succeeds without writing when nothing is current', async () => {
    const output = outputOf(
      await revoke(actionInput(testSettings(temp.dir), file, context('TeamPlanner'))),
    );

    expect(tenant.writes()).toEqual([]);
    expect(output.Success).toBe(true);
    expect(output.AuditLogs[0]?.Message).toContain('nothing changed');
  });
});
