import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../../src/inplanning/schemas.js';
import { setLogLevel } from '../../../src/log.js';
import { run as grant } from '../../../src/target/grant.js';
import { run as revoke } from '../../../src/target/revoke.js';
import {
  actionInput,
  outputOf,
  permissionTenant,
  role,
  tempDir,
  testSettings,
  writeCatalogue,
} from './fake-tenant.js';

const COUNT = 12;
const names = Array.from({ length: COUNT }, (_, index) => `Rol ${index} && "é"`);
const catalogue = {
  permissions: names.map((name, index) => ({
    reference: `P${index}`,
    role: { role: name, resourceGroup: 'ZRG' },
  })),
};
const other = role('Medewerker', 'ZRG-CAR');
const user: User = { username: 'gedeeld', firstName: 'Gedeeld', active: 'False', roles: [other] };

const temp = tempDir();
const file = writeCatalogue(temp.dir, catalogue);
const tenant = permissionTenant([user]);

beforeAll(() => {
  setLogLevel('silent');
  tenant.latencyMs = 5;
  tenant.server.listen({ onUnhandledRequest: 'error' });
});
afterAll(() => {
  tenant.server.close();
  temp.remove();
});

function context(index: number) {
  return { References: { Account: 'gedeeld', Permission: { Reference: `P${index}` } } };
}

describe('concurrent grants and revokes on one account', () => {
  it('lose none of each other’s changes', async () => {
    const settings = testSettings(temp.dir);
    const indexes = [...Array(COUNT).keys()];

    const granted = await Promise.all(
      indexes.map((index) => grant(actionInput(settings, file, context(index)))),
    );
    expect(granted.map((result) => outputOf(result).Success)).toEqual(indexes.map(() => true));
    const afterGrant = tenant.users.get('gedeeld');
    expect(afterGrant?.roles?.map((item) => item.role).sort()).toEqual(
      ['Medewerker', ...names].sort(),
    );
    expect({ ...afterGrant, roles: undefined }).toEqual({ ...user, roles: undefined });

    const revoked = await Promise.all(
      indexes.map((index) => revoke(actionInput(settings, file, context(index)))),
    );
    expect(revoked.map((result) => outputOf(result).Success)).toEqual(indexes.map(() => true));
    expect(tenant.users.get('gedeeld')).toEqual(user);
  });
});
