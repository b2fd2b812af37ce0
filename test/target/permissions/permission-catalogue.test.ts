import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, MappingError } from '../../../src/errors.js';
import {
  findPermission,
  isDynamic,
  loadCatalogue,
  parseCatalogue,
} from '../../../src/target/permission-catalogue.js';
import { tempDir, writeCatalogue } from './fake-tenant.js';

const temp = tempDir();
afterAll(() => temp.remove());

const planner = {
  reference: 'Planner',
  displayName: 'Planner of own department',
  role: { role: 'Planner', resourceGroup: '{{DepartmentCode}}', userGroup: 'Root' },
};

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('the permission catalogue', () => {
  it('loads the example fixture, with dynamic and static permissions', async () => {
    const file = path.resolve(import.meta.dirname, '../../../fixtures/permissions.json');
    const catalogue = await loadCatalogue(file);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { permissions: unknown[] };
    expect(catalogue.permissions).toHaveLength(raw.permissions.length);
    expect(catalogue.permissions.map(isDynamic)).toContain(true);
    expect(catalogue.permissions.map(isDynamic)).toContain(false);
  });

  it('records the placeholders a permission uses and defaults the display name', () => {
    const catalogue = parseCatalogue(
      {
        lookups: { '{{DepartmentCode}}': 'Department.ExternalId' },
        permissions: [planner, { reference: 'Admin', role: { role: 'Beheerder' } }],
      },
      'test',
    );
    expect(catalogue.permissions[0]?.placeholders).toEqual(['{{DepartmentCode}}']);
    expect(catalogue.permissions[1]).toMatchObject({ displayName: 'Admin', placeholders: [] });
  });

  it('fails naming a placeholder that has no lookup', () => {
    const error = errorOf(() =>
      parseCatalogue({ lookups: {}, permissions: [planner] }, 'catalogue.json'),
    );
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).field).toBe('{{DepartmentCode}}');
    expect((error as Error).message).toContain('"Planner"');
    expect((error as Error).message).toContain('{{DepartmentCode}}');
  });

  it('fails naming a duplicated reference (in any casing)', () => {
    const error = errorOf(() =>
      parseCatalogue(
        {
          permissions: [
            { reference: 'Admin', role: { role: 'Beheerder', resourceGroup: 'A' } },
            { reference: 'admin', role: { role: 'Beheerder', resourceGroup: 'B' } },
          ],
        },
        'catalogue.json',
      ),
    );
    expect(error).toBeInstanceOf(MappingError);
    expect((error as Error).message).toMatch(/"admin".*more than once/);
  });

  it('fails when two static permissions describe the same pair', () => {
    const error = errorOf(() =>
      parseCatalogue(
        {
          permissions: [
            { reference: 'One', role: { role: 'Beheerder', resourceGroup: 'A' } },
            { reference: 'Two', role: { role: 'Beheerder', resourceGroup: 'A', userGroup: 'R' } },
          ],
        },
        'catalogue.json',
      ),
    );
    expect((error as Error).message).toContain('"One" and "Two"');
  });

  it('fails on a misspelt role field and on a lookup that is not one placeholder', () => {
    const misspelt = errorOf(() =>
      parseCatalogue(
        { permissions: [{ reference: 'X', role: { role: 'R', resourcegroup: 'A' } }] },
        'c.json',
      ),
    );
    expect(misspelt).toBeInstanceOf(MappingError);
    expect((misspelt as Error).message).toContain('permissions.0.role');
    const lookup = errorOf(() =>
      parseCatalogue({ lookups: { Department: 'Department.ExternalId' }, permissions: [] }, 'c'),
    );
    expect((lookup as MappingError).field).toBe('Department');
  });

  it('reports a missing option, an unreadable file and broken JSON as input problems', async () => {
    await expect(loadCatalogue(undefined)).rejects.toBeInstanceOf(InputError);
    await expect(loadCatalogue(path.join(temp.dir, 'absent.json'))).rejects.toBeInstanceOf(
      InputError,
    );
    const broken = writeCatalogue(temp.dir, '{ "permissions": [', 'broken.json');
    await expect(loadCatalogue(broken)).rejects.toBeInstanceOf(MappingError);
  });

  it('finds a permission exactly, else ignoring case, else fails naming it', () => {
    const catalogue = parseCatalogue(
      { permissions: [{ reference: 'Admin', role: { role: 'Beheerder' } }] },
      'c',
    );
    expect(findPermission(catalogue, 'ADMIN').reference).toBe('Admin');
    const error = errorOf(() => findPermission(catalogue, 'Nobody'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('"Nobody"');
    expect(errorOf(() => findPermission(catalogue, undefined))).toBeInstanceOf(InputError);
  });
});
