import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../../src/inplanning/schemas.js';
import { run as importPermissions } from '../../../src/target/import-permissions.js';
import {
  actionInput,
  permissionTenant,
  role,
  rowsOf,
  tempDir,
  testSettings,
  writeCatalogue,
} from './fake-tenant.js';

const ODD_GROUP = 'Afd. "Crèche" && Zuid';

const catalogue = {
  lookups: { '{{Dept}}': 'Department.ExternalId' },
  permissions: [
    {
      reference: 'Admin',
      displayName: 'Administrator',
      role: { role: 'Beheerder', resourceGroup: 'ZRG' },
    },
    { reference: 'Nobody', role: { role: 'Ongebruikt', resourceGroup: 'ZRG' } },
    {
      reference: 'Planner',
      displayName: 'Planner',
      role: { role: 'Planner', resourceGroup: '{{Dept}}' },
    },
    { reference: 'PlannerZRG', role: { role: 'Planner', resourceGroup: 'ZRG' } },
  ],
};

/** 1,203 users: everyone is an administrator, some are planners of one or two departments. */
function users(): User[] {
  return Array.from({ length: 1203 }, (_, index) => {
    const roles = [role('Beheerder', 'ZRG'), role('Medewerker', 'ZRG-CAR')];
    if (index % 100 === 0) roles.push(role('Planner', 'ZRG-CAR'));
    if (index % 300 === 0) roles.push(role('Planner', ODD_GROUP));
    if (index === 5) roles.push(role('Planner', 'ZRG'));
    return { username: `user${String(index).padStart(4, '0')}`, roles };
  });
}

const temp = tempDir();
const file = writeCatalogue(temp.dir, catalogue);
const tenant = permissionTenant(users());

beforeAll(() => tenant.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  tenant.server.close();
  temp.remove();
});

describe('import-permissions', () => {
  it('lists the holders of each permission and sub-permission, 500 per row', async () => {
    const rows = rowsOf(await importPermissions(actionInput(testSettings(temp.dir), file, {})));

    const all = users().map((user) => user.username);
    const planCar = all.filter((_, index) => index % 100 === 0);
    const planOdd = all.filter((_, index) => index % 300 === 0);
    expect(rows).toEqual([
      {
        PermissionReference: { Reference: 'Admin' },
        DisplayName: 'Administrator',
        AccountReferences: all.slice(0, 500),
      },
      {
        PermissionReference: { Reference: 'Admin' },
        DisplayName: 'Administrator',
        AccountReferences: all.slice(500, 1000),
      },
      {
        PermissionReference: { Reference: 'Admin' },
        DisplayName: 'Administrator',
        AccountReferences: all.slice(1000),
      },
      {
        PermissionReference: { Reference: 'Nobody' },
        DisplayName: 'Nobody',
        AccountReferences: [],
      },
      {
        PermissionReference: { Reference: 'Planner' },
        DisplayName: 'Planner',
        AccountReferences: planCar,
      },
      {
        PermissionReference: { Reference: 'Planner' },
        SubPermissionReference: { Id: JSON.stringify(['Planner', ODD_GROUP]) },
        DisplayName: `Planner / ${ODD_GROUP}`,
        AccountReferences: planOdd,
      },
      {
        PermissionReference: { Reference: 'Planner' },
        SubPermissionReference: { Id: '["Planner","ZRG-CAR"]' },
        DisplayName: 'Planner / ZRG-CAR',
        AccountReferences: planCar,
      },
      {
        PermissionReference: { Reference: 'PlannerZRG' },
        DisplayName: 'PlannerZRG',
        AccountReferences: ['user0005'],
      },
    ]);
    expect(tenant.sent.map((item) => `${item.method} ${item.path}`)).toEqual([
      'GET /users?limit=0',
    ]);
  });
});
