import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../src/inplanning/schemas.js';
import { run } from '../../../src/target/delete.js';
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

const account: User = {
  username: 'l.de boer@zorg.nl',
  firstName: 'Loïs',
  lastName: 'de Boer',
  active: 'True',
  userGroup: 'Root',
  resource: '3001',
  roles: [
    { role: 'Planner', resourceGroup: 'Noord' },
    { role: 'Viewer', resourceGroup: 'Zuid' },
  ],
};
const path = '/users/l.de%20boer%40zorg.nl';
const context = { References: { Account: account.username } };

beforeEach(() => {
  tenant = fakeTenant([account]);
  tenant.server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => tenant.server.close());
afterAll(() => state.remove());

describe('target delete', () => {
  it('deletes the account where InPlanning supports DELETE', async () => {
    tenant.deleteStatus = 200;
    const output = outputOf(await run(actionInput(settings, context)));

    expect(tenant.sent).toEqual([
      { method: 'GET', path, body: undefined },
      { method: 'DELETE', path, body: undefined },
    ]);
    expect(output).toMatchObject({
      Success: true,
      AuditLogs: [{ Action: 'DeleteAccount', Message: 'Deleted account "l.de boer@zorg.nl".' }],
    });
    expect(tenant.users.has(account.username)).toBe(false);
  });

  it('makes the account inert (inactive, no roles) when DELETE answers 405', async () => {
    tenant.deleteStatus = 405;
    const output = outputOf(await run(actionInput(settings, context)));

    expect(tenant.sent).toEqual([
      { method: 'GET', path, body: undefined },
      { method: 'DELETE', path, body: undefined },
      { method: 'PUT', path: '/users', body: { ...account, active: 'False', roles: [] } },
    ]);
    expect(output.Success).toBe(true);
    expect(output.AuditLogs[0]?.Message).toBe(
      'InPlanning cannot delete accounts, so account "l.de boer@zorg.nl" was made inert instead: ' +
        'changed "active" from "True" to "False"; ' +
        'removed 2 role(s): Planner in Noord, Viewer in Zuid.',
    );
  });

  it('writes nothing more when the undeletable account already is inert', async () => {
    tenant.users.set(account.username, { ...account, active: 'False', roles: [] });
    const output = outputOf(await run(actionInput(settings, context)));

    expect(tenant.writes().map((request) => request.method)).toEqual(['DELETE']);
    expect(output.Success).toBe(true);
    expect(output.AuditLogs[0]?.Message).toContain('already is inactive without roles');
  });

  it('succeeds with nothing to do when the account is missing', async () => {
    tenant.users.clear();
    const output = outputOf(await run(actionInput(settings, context)));

    expect(tenant.sent).toEqual([{ method: 'GET', path, body: undefined }]);
    expect(output).toMatchObject({ Success: true, AuditLogs: [{ IsError: false }] });
    expect(output.AuditLogs[0]?.Message).toContain('does not exist');
  });

  it('in preview names both outcomes and sends neither DELETE nor PUT', async () => {
    const output = outputOf(await run(actionInput(settings, { ...context, dryrun: true })));

    expect(tenant.writes()).toEqual([]);
    expect(output.AuditLogs[0]?.Message).toBe(
      'Preview: would delete account "l.de boer@zorg.nl"; ' +
        'where InPlanning cannot delete, make it inert: ' +
        'change "active" from "True" to "False"; ' +
        'remove 2 role(s): Planner in Noord, Viewer in Zuid.',
    );
  });

  it('acts on References.Account alone for a reconciliation', async () => {
    const reconciliation = { Origin: 'reconciliation', References: { Account: account.username } };
    const output = outputOf(
      await run(actionInput(settings, reconciliation, { personContext: {} })),
    );

    expect(output.Success).toBe(true);
    expect(tenant.users.get(account.username)).toMatchObject({ active: 'False', roles: [] });
  });
});
