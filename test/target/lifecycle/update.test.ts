import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import type { User } from '../../../src/inplanning/schemas.js';
import { run } from '../../../src/target/update.js';
import {
  actionInput,
  fakeTenant,
  type FakeTenant,
  outputOf,
  tempStateDir,
  testSettings,
} from './fake-tenant.js';

const state = tempStateDir();
const settings = testSettings(state.dir);
let tenant: FakeTenant;

const roles = [
  { role: 'Planner', resourceGroup: 'Noord && Zuid', startDate: '2026-01-01', endDate: null },
  { role: 'Viewer', resourceGroup: 'Zuid' },
];
const account: User = {
  username: 'm.el amrani/zorg@x.nl',
  firstName: 'Mohamed',
  lastName: 'El Amrani',
  email: 'm.elamrani@zorg.nl',
  active: 'True',
  userGroup: 'Root',
  resource: '2001',
  roles,
  tenantOnlyField: { kept: true },
};
const path = '/users/m.el%20amrani%2Fzorg%40x.nl';

function context(data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { Data: data, References: { Account: account.username }, ...extra };
}

beforeEach(() => {
  tenant = fakeTenant([account]);
  tenant.server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => tenant.server.close());
afterAll(() => state.remove());

describe('target update', () => {
  it('writes the whole current account with only the changed fields', async () => {
    const data = { firstName: 'Mo', lastName: 'El Amrani', email: 'mo@zorg.nl', active: true };
    const result = await run(actionInput(settings, context(data)));

    expect(tenant.sent).toEqual([
      { method: 'GET', path, body: undefined },
      { method: 'PUT', path: '/users', body: { ...account, firstName: 'Mo', email: 'mo@zorg.nl' } },
    ]);
    const output = outputOf(result);
    expect(output.Success).toBe(true);
    expect(output.AuditLogs.map((log) => log.Message)).toEqual([
      'Changed "firstName" of account "m.el amrani/zorg@x.nl" from "Mohamed" to "Mo".',
      'Changed "email" of account "m.el amrani/zorg@x.nl" ' +
        'from "m.elamrani@zorg.nl" to "mo@zorg.nl".',
    ]);
    expect(output.AuditLogs.every((log) => log.Action === 'UpdateAccount' && !log.IsError)).toBe(
      true,
    );
    expect(output.PreviousData).toMatchObject({
      firstName: 'Mohamed',
      email: 'm.elamrani@zorg.nl',
    });
    expect(output.Data).toMatchObject({ firstName: 'Mo', email: 'mo@zorg.nl' });
    expect(output.Data).not.toHaveProperty('roles');
    expect(output.PreviousData).not.toHaveProperty('roles');
  });

  it('matches field names case-insensitively and keeps the tenant form of booleans', async () => {
    tenant.users.set(account.username, { ...account, active: false });
    await run(actionInput(settings, context({ Active: 'True', FIRSTNAME: 'Mohamed' })));

    expect(tenant.writes()).toEqual([
      { method: 'PUT', path: '/users', body: { ...account, active: true } },
    ]);
  });

  it('reports "no changes" and writes nothing when every field matches', async () => {
    const data = {
      firstName: 'Mohamed',
      active: true,
      resource: 2001,
      email: 'm.elamrani@zorg.nl',
    };
    const result = await run(actionInput(settings, context(data)));

    expect(tenant.sent).toEqual([{ method: 'GET', path, body: undefined }]);
    const output = outputOf(result);
    expect(output.Success).toBe(true);
    expect(output.AuditLogs).toHaveLength(1);
    expect(output.AuditLogs[0]?.Message).toMatch(/needs no changes/);
  });

  it('never renames the account nor writes roles from Data', async () => {
    const data = { username: 'someone.else', roles: [], firstName: 'Mohamed' };
    const result = await run(actionInput(settings, context(data)));

    expect(tenant.writes()).toEqual([]);
    expect(outputOf(result).Success).toBe(true);
  });

  it('fails when the account is missing, writing nothing', async () => {
    tenant.users.clear();
    const result = await run(actionInput(settings, context({ firstName: 'Mo' })));

    expect(tenant.sent).toEqual([{ method: 'GET', path, body: undefined }]);
    const output = outputOf(result);
    expect(output.Success).toBe(false);
    expect(output.AuditLogs[0]).toMatchObject({ Action: 'UpdateAccount', IsError: true });
    expect(output.AuditLogs[0]?.Message).toContain('does not exist');
  });

  it('in preview reports each change as it would be made and sends no PUT', async () => {
    const result = await run(
      actionInput(settings, context({ firstName: 'Mo', lastName: '' }, { dryRun: 'True' })),
    );

    expect(tenant.sent).toEqual([{ method: 'GET', path, body: undefined }]);
    expect(outputOf(result).AuditLogs.map((log) => log.Message)).toEqual([
      'Preview: would change "firstName" of account "m.el amrani/zorg@x.nl" ' +
        'from "Mohamed" to "Mo".',
      'Preview: would change "lastName" of account "m.el amrani/zorg@x.nl" ' +
        'from "El Amrani" to (empty).',
    ]);
    expect(tenant.users.get(account.username)).toEqual(account);
  });

  it('acts on References.Account alone for a reconciliation with an empty person', async () => {
    const input = actionInput(
      settings,
      {
        origin: 'reconciliation',
        references: { account: account.username },
        data: { email: 'x@y.nl' },
      },
      { personContext: {} },
    );
    const result = await run(input);

    expect(tenant.writes()).toEqual([
      { method: 'PUT', path: '/users', body: { ...account, email: 'x@y.nl' } },
    ]);
    expect(outputOf(result).Success).toBe(true);
  });

  it('fails before any request without an account reference', async () => {
    await expect(run(actionInput(settings, { Data: { firstName: 'x' } }))).rejects.toThrow(
      InputError,
    );
    expect(tenant.sent).toEqual([]);
  });

  it('keeps both of two concurrent updates, as each re-reads under the account lock', async () => {
    tenant.latencyMs = 30;
    const [first, second] = await Promise.all([
      run(actionInput(settings, context({ firstName: 'Mo' }))),
      run(actionInput(settings, context({ email: 'mo@zorg.nl' }))),
    ]);

    expect(outputOf(first).Success && outputOf(second).Success).toBe(true);
    expect(tenant.users.get(account.username)).toEqual({
      ...account,
      firstName: 'Mo',
      email: 'mo@zorg.nl',
    });
  });
});
