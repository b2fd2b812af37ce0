import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../src/inplanning/schemas.js';
import { run as disable } from '../../../src/target/disable.js';
import { run as enable } from '../../../src/target/enable.js';
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

const base: User = {
  username: 'e.visser',
  firstName: 'Eva',
  lastName: 'Visser',
  userGroup: 'Root',
  roles: [{ role: 'Planner', resourceGroup: 'Oost' }],
};
const reference = { References: { Account: 'e.visser' } };

function holding(active: User['active']) {
  tenant.users.set(base.username, { ...base, active });
}

beforeEach(() => {
  tenant = fakeTenant();
  tenant.server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => tenant.server.close());
afterAll(() => state.remove());

describe.each([
  { name: 'enable', action: enable, audit: 'EnableAccount', from: false, to: true },
  { name: 'disable', action: disable, audit: 'DisableAccount', from: true, to: false },
])('target $name', ({ action, audit, from, to }) => {
  it('writes the boolean form when the tenant uses booleans', async () => {
    holding(from);
    const result = await action(actionInput(settings, reference));

    expect(tenant.sent).toEqual([
      { method: 'GET', path: '/users/e.visser', body: undefined },
      { method: 'PUT', path: '/users', body: { ...base, active: to } },
    ]);
    const output = outputOf(result);
    expect(output).toMatchObject({ Success: true, AuditLogs: [{ Action: audit, IsError: false }] });
    expect(output.AuditLogs[0]?.Message).toBe(
      `Changed "active" of account "e.visser" from ${from} to ${to}.`,
    );
  });

  it('writes the string form when the tenant uses "True"/"False"', async () => {
    holding(from ? 'True' : 'False');
    await action(actionInput(settings, reference));

    expect(tenant.writes()).toEqual([
      { method: 'PUT', path: '/users', body: { ...base, active: to ? 'True' : 'False' } },
    ]);
  });

  it('is a no-op when the account already is in that state, in either form', async () => {
    for (const form of [to, to ? 'True' : 'False', to ? 'true' : 'false']) {
      holding(form);
      const output = outputOf(await action(actionInput(settings, reference)));
      expect(output.Success).toBe(true);
      expect(output.AuditLogs[0]?.Message).toMatch(/already (in)?active; nothing to change/);
    }
    expect(tenant.writes()).toEqual([]);
  });

  it('in preview reports the change and sends no PUT', async () => {
    holding(from);
    const result = await action(actionInput(settings, { ...reference, DryRun: true }));

    expect(tenant.writes()).toEqual([]);
    expect(outputOf(result).AuditLogs[0]?.Message).toBe(
      `Preview: would change "active" of account "e.visser" from ${from} to ${to}.`,
    );
  });
});

describe('enable and disable of a missing account', () => {
  it('enable fails', async () => {
    const output = outputOf(await enable(actionInput(settings, reference)));
    expect(output).toMatchObject({
      Success: false,
      AuditLogs: [{ Action: 'EnableAccount', IsError: true }],
    });
    expect(tenant.writes()).toEqual([]);
  });

  it('disable succeeds doing nothing, also for a reconciliation with an empty person', async () => {
    const context = { Origin: 'reconciliation', References: { Account: 'e.visser' } };
    const output = outputOf(await disable(actionInput(settings, context, { personContext: {} })));

    expect(output).toMatchObject({
      Success: true,
      AuditLogs: [{ Action: 'DisableAccount', IsError: false }],
    });
    expect(output.AuditLogs[0]?.Message).toContain('does not exist');
    expect(tenant.sent).toEqual([{ method: 'GET', path: '/users/e.visser', body: undefined }]);
  });
});

describe('an account without an active field', () => {
  it('is disabled explicitly, with a boolean', async () => {
    tenant.users.set(base.username, { ...base });
    await disable(actionInput(settings, reference));
    expect(tenant.writes()).toEqual([
      { method: 'PUT', path: '/users', body: { ...base, active: false } },
    ]);
  });
});
