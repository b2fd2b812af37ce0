import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MappingError } from '../../../src/errors.js';
import { run as permissions } from '../../../src/target/permissions.js';
import {
  actionInput,
  outputOf,
  permissionTenant,
  tempDir,
  testSettings,
  writeCatalogue,
} from './fake-tenant.js';

const temp = tempDir();
const tenant = permissionTenant([]);

beforeAll(() => tenant.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  tenant.server.close();
  temp.remove();
});

describe('permissions', () => {
  it('lists the catalogue, dynamic permissions included, without asking InPlanning', async () => {
    const file = writeCatalogue(temp.dir, {
      lookups: { '{{Dept}}': 'Department.ExternalId' },
      permissions: [
        {
          reference: 'Planner',
          displayName: 'Planner of own department',
          role: { role: 'Planner', resourceGroup: '{{Dept}}' },
        },
        { reference: 'Beheerder && "ZRG"', role: { role: 'Beheerder', resourceGroup: 'ZRG' } },
      ],
    });
    const output = outputOf(await permissions(actionInput(testSettings(temp.dir), file, {})));

    expect(output).toEqual({
      Success: true,
      AuditLogs: [],
      Permissions: [
        { DisplayName: 'Planner of own department', Identification: { Reference: 'Planner' } },
        {
          DisplayName: 'Beheerder && "ZRG"',
          Identification: { Reference: 'Beheerder && "ZRG"' },
        },
      ],
    });
    expect(tenant.sent).toEqual([]);
  });

  it('fails, naming the placeholder, when a placeholder lacks a lookup', async () => {
    const file = writeCatalogue(
      temp.dir,
      { permissions: [{ reference: 'P', role: { role: 'Planner', resourceGroup: '{{Dept}}' } }] },
      'bad.json',
    );
    const result = permissions(actionInput(testSettings(temp.dir), file, {}));

    await expect(result).rejects.toBeInstanceOf(MappingError);
    await expect(result).rejects.toThrow('{{Dept}}');
  });
});
