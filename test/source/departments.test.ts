import { describe, expect, it } from 'vitest';
import { IncompleteError, TransientError } from '../../src/errors.js';
import { readDepartments } from '../../src/source/departments.js';
import { FakeClient } from './fake-client.js';

describe('readDepartments', () => {
  it('turns resource groups into departments once each, ordered by id', async () => {
    const client = new FakeClient({
      resourceGroups: [
        { uname: 'ZKH', name: 'Ziekenhuis', parent: null },
        { uname: 'ICU', name: 'Intensive care', parent: 'ZKH', externalId: 'K100' },
        { uname: 'ICU', name: 'Intensive care (again)', parent: 'ZKH' },
        { uname: 'SEH', name: ' ', parent: 'ZKH' },
      ],
    });
    expect(await readDepartments(client)).toEqual([
      {
        ExternalId: 'ICU',
        DisplayName: 'Intensive care',
        ParentExternalId: 'ZKH',
        ManagerExternalId: null,
      },
      { ExternalId: 'SEH', DisplayName: 'SEH', ParentExternalId: 'ZKH', ManagerExternalId: null },
      {
        ExternalId: 'ZKH',
        DisplayName: 'Ziekenhuis',
        ParentExternalId: null,
        ManagerExternalId: null,
      },
    ]);
    expect(client.calls).toEqual([{ method: 'listResourceGroups', args: [] }]);
  });

  it('fails closed, naming what failed', async () => {
    const client = new FakeClient(
      {},
      { fail: () => new TransientError('HTTP 503 after 4 retries.', undefined) },
    );
    const failure = await readDepartments(client).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IncompleteError);
    expect((failure as Error).message).toBe(
      'Reading the resource groups failed: HTTP 503 after 4 retries.',
    );
  });
});
