import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InputError } from '../../../src/errors.js';
import type { User } from '../../../src/inplanning/schemas.js';
import { run } from '../../../src/target/create.js';
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

const existing: User = {
  username: 'j.bakker@zorg.nl',
  firstName: 'Jan',
  lastName: 'Bakker',
  email: 'j.bakker@zorg.nl',
  active: true,
  userGroup: 'Root',
  resource: '1001',
  roles: [{ role: 'Planner', resourceGroup: 'Noord' }],
};

const newPerson = {
  username: 'a.dejong@zorg.nl',
  firstName: 'Anaïs',
  lastName: 'de Jong',
  email: 'a.dejong@zorg.nl',
  active: 'True',
  userGroup: 'Root',
  resource: '1002',
};

function createContext(correlation?: Record<string, unknown>, data = newPerson) {
  return { actionContext: { Data: data, CorrelationConfiguration: correlation } };
}

beforeEach(() => {
  tenant = fakeTenant([existing]);
  tenant.server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => tenant.server.close());
afterAll(() => state.remove());

describe('target create', () => {
  it('creates a new account and answers with its username as reference', async () => {
    const correlation = {
      enabled: true,
      accountField: 'username',
      accountFieldValue: 'a.dejong@zorg.nl',
    };
    const result = await run(actionInput(settings, createContext(correlation).actionContext));

    expect(tenant.sent).toEqual([
      { method: 'GET', path: '/users/a.dejong%40zorg.nl', body: undefined },
      { method: 'POST', path: '/users', body: newPerson },
    ]);
    const output = outputOf(result);
    expect(output).toMatchObject({
      Success: true,
      AccountReference: 'a.dejong@zorg.nl',
      AccountCorrelated: false,
      Data: newPerson,
    });
    expect(output.AuditLogs).toHaveLength(1);
    expect(output.AuditLogs[0]).toMatchObject({ Action: 'CreateAccount', IsError: false });
    expect(output.AuditLogs[0]?.Message).toContain('firstName "Anaïs"');
  });

  it('creates without any lookup when correlation is disabled', async () => {
    const result = await run(actionInput(settings, { Data: newPerson }));

    expect(tenant.sent).toEqual([{ method: 'POST', path: '/users', body: newPerson }]);
    expect(outputOf(result).Success).toBe(true);
  });

  it('correlates an existing account by username, writes nothing, returns no arrays', async () => {
    const correlation = {
      Enabled: true,
      PersonField: 'Person.Accounts.MicrosoftActiveDirectory.mail',
      PersonFieldValue: 'j.bakker@zorg.nl',
      AccountField: 'username',
    };
    const data = { ...newPerson, username: 'j.bakker@zorg.nl' };
    const result = await run(actionInput(settings, createContext(correlation, data).actionContext));

    expect(tenant.sent).toEqual([
      { method: 'GET', path: '/users/j.bakker%40zorg.nl', body: undefined },
    ]);
    const output = outputOf(result);
    expect(output).toMatchObject({
      Success: true,
      AccountReference: 'j.bakker@zorg.nl',
      AccountCorrelated: true,
      AuditLogs: [{ Action: 'CorrelateAccount', IsError: false }],
    });
    expect(output.Data).not.toHaveProperty('roles');
    expect(Object.values(output.Data ?? {}).some(Array.isArray)).toBe(false);
    expect(output.Data).toMatchObject({ resource: '1001', firstName: 'Jan' });
  });

  it('correlates by another field through the user list, ignoring case', async () => {
    const correlation = { Enabled: 'true', AccountField: 'Resource', AccountFieldValue: 1001 };
    const result = await run(actionInput(settings, createContext(correlation).actionContext));

    expect(tenant.sent).toEqual([{ method: 'GET', path: '/users?limit=0', body: undefined }]);
    expect(outputOf(result)).toMatchObject({
      Success: true,
      AccountReference: 'j.bakker@zorg.nl',
      AccountCorrelated: true,
    });
  });

  it('fails when several accounts match, creating nothing', async () => {
    tenant.users.set('jan.bakker', { ...existing, username: 'jan.bakker' });
    const correlation = { Enabled: true, AccountField: 'resource', AccountFieldValue: '1001' };
    const result = await run(actionInput(settings, createContext(correlation).actionContext));

    expect(tenant.writes()).toEqual([]);
    const output = outputOf(result);
    expect(output.Success).toBe(false);
    expect(output.AuditLogs[0]).toMatchObject({ Action: 'CorrelateAccount', IsError: true });
    expect(output.AuditLogs[0]?.Message).toContain('2 accounts');
    expect(output.AccountReference).toBeUndefined();
  });

  it('fails before any request when the correlation value is missing', async () => {
    const correlation = {
      Enabled: true,
      PersonField: 'Person.ExternalId',
      AccountField: 'resource',
    };
    const input = actionInput(settings, createContext(correlation).actionContext);

    await expect(run(input)).rejects.toThrow(InputError);
    await expect(run(input)).rejects.toThrow(/correlation value is empty.*Person\.ExternalId/);
    expect(tenant.sent).toEqual([]);
  });

  it('fails before any request when Data has no username', async () => {
    const withoutUsername: Record<string, unknown> = { ...newPerson };
    delete withoutUsername.username;
    await expect(run(actionInput(settings, { Data: withoutUsername }))).rejects.toThrow(InputError);
    expect(tenant.sent).toEqual([]);
  });

  it('in preview reads and reports the creation but sends no POST', async () => {
    const correlation = {
      Enabled: true,
      AccountField: 'username',
      AccountFieldValue: newPerson.username,
    };
    const context = { ...createContext(correlation).actionContext, DryRun: true };
    const result = await run(actionInput(settings, context));

    expect(tenant.writes()).toEqual([]);
    const output = outputOf(result);
    expect(output).toMatchObject({ Success: true, AccountReference: newPerson.username });
    expect(output.AuditLogs[0]?.Message).toMatch(
      /^Preview: would create account "a\.dejong@zorg\.nl"/,
    );
    expect(tenant.users.has(newPerson.username)).toBe(false);
  });
});

describe('target create when the answer to the POST is lost', () => {
  it('looks the username up and does not POST again when the account was made', async () => {
    tenant.faults.push({ method: 'POST', kind: 'applied-503' });
    const result = await run(actionInput(settings, { Data: newPerson }));

    expect(tenant.sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /users',
      'GET /users/a.dejong%40zorg.nl',
    ]);
    expect(outputOf(result)).toMatchObject({ Success: true, AccountReference: newPerson.username });
    expect(outputOf(result).AuditLogs[0]?.Message).toContain('a lookup confirmed the account');
    expect([...tenant.users.keys()].filter((name) => name === newPerson.username)).toHaveLength(1);
  });

  it('POSTs again after a lookup shows that the lost POST made nothing', async () => {
    tenant.faults.push({ method: 'POST', kind: '503' }, { method: 'POST', kind: 'reset' });
    const result = await run(actionInput(settings, { Data: newPerson }));

    expect(tenant.sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /users',
      'GET /users/a.dejong%40zorg.nl',
      'POST /users',
      'GET /users/a.dejong%40zorg.nl',
      'POST /users',
    ]);
    expect(outputOf(result).Success).toBe(true);
    expect(tenant.users.get(newPerson.username)).toEqual(newPerson);
  });

  it('refuses an account of the same username with other values', async () => {
    tenant.users.set(newPerson.username, { ...newPerson, resource: '9999' });
    tenant.faults.push({ method: 'POST', kind: '503' });

    await expect(run(actionInput(settings, { Data: newPerson }))).rejects.toThrow(ConflictError);
    expect(tenant.users.get(newPerson.username)?.resource).toBe('9999');
  });

  it('fails on "already exists" without a lost answer, since correlation is off', async () => {
    tenant.users.set(newPerson.username, { ...newPerson });
    await expect(run(actionInput(settings, { Data: newPerson }))).rejects.toThrow(/already exists/);
    expect(tenant.sent.map((request) => request.method)).toEqual(['POST']);
  });
});
