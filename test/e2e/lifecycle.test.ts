/**
 * The account lifecycle through the built CLI (`node bin/inplanning.js target <action>`) against
 * the simulator: create, correlate, update, enable, disable, delete, preview, import, and the
 * exit codes 0, 1 and 2.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/inplanning/schemas.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { type LifecycleSim, runTarget, startLifecycleSim } from './lifecycle-support.js';

const fixture = (name: string) => path.join(REPO_ROOT, 'fixtures', name);
const createFixture = JSON.parse(readFileSync(fixture('context-create.json'), 'utf8')) as {
  actionContext: { Data: Record<string, unknown> };
};
const NEW_USERNAME = 'zoë.van der wiel/ic@zorg-noord.nl';

const roles = [
  { role: 'Planner', resourceGroup: 'Noord', startDate: '2026-01-01', endDate: null },
  { role: 'Roosteraar', resourceGroup: 'Zuid' },
];
const planner: User = {
  username: 'f.öztürk@zorg-noord.nl',
  firstName: 'Fatma',
  lastName: 'Öztürk',
  email: 'f.ozturk@zorg-noord.nl',
  active: true,
  userGroup: 'Root',
  resource: '100100',
  roles,
  badgeNumber: 'B-17',
};
const stringly: User = {
  username: 'h.de groot',
  firstName: 'Henk',
  lastName: 'de Groot',
  active: 'True',
  userGroup: 'Root',
  resource: '100101',
  roles: [{ role: 'Planner', resourceGroup: 'Zuid' }],
};

let env: LifecycleSim;

beforeAll(async () => {
  env = await startLifecycleSim({
    data: {
      users: [planner, stringly],
      resourceGroups: [
        { uname: 'Noord', name: 'Noord', parent: null },
        { uname: 'Zuid', name: 'Zuid', parent: null },
      ],
    },
  });
});
afterAll(() => env.stop());

describe('target create, update and correlate through the CLI', () => {
  it('creates an account whose username holds "@", a space and "/", names unchanged', async () => {
    const run = await runTarget(env, 'create', { file: fixture('context-create.json') });

    expect(run.code).toBe(0);
    expect(run.output).toMatchObject({
      Success: true,
      AccountReference: NEW_USERNAME,
      AccountCorrelated: false,
    });
    expect(await env.user(NEW_USERNAME)).toEqual(createFixture.actionContext.Data);
  });

  it('correlates instead of creating a second account when create runs again', async () => {
    const run = await runTarget(env, 'create', { file: fixture('context-create.json') });

    expect(run.code).toBe(0);
    expect(run.output).toMatchObject({
      Success: true,
      AccountReference: NEW_USERNAME,
      AccountCorrelated: true,
    });
    const users = await env.users();
    expect(users.filter((user) => user.username === NEW_USERNAME)).toHaveLength(1);
    expect(users).toHaveLength(3);
  });

  it('updates only the changed fields of that account', async () => {
    const run = await runTarget(env, 'update', { file: fixture('context-update.json') });

    expect(run.code).toBe(0);
    expect(run.output?.AuditLogs.map((log) => log.Message)).toEqual([
      `Changed "lastName" of account "${NEW_USERNAME}" ` +
        'from "van der Wiel-Çelik" to "van der Wiel".',
      `Changed "email" of account "${NEW_USERNAME}" from "zoe.vanderwiel@zorg-noord.nl" ` +
        'to "z.vanderwiel@zorg-noord.nl".',
    ]);
    expect(await env.user(NEW_USERNAME)).toEqual({
      ...createFixture.actionContext.Data,
      lastName: 'van der Wiel',
      email: 'z.vanderwiel@zorg-noord.nl',
    });
  });

  it('leaves the roles and unmapped fields of a user with roles unchanged', async () => {
    const context = {
      actionContext: {
        References: { Account: planner.username },
        Data: { firstName: 'Fátima', email: 'f.ozturk@zorg-noord.nl', active: 'True' },
      },
    };
    const run = await runTarget(env, 'update', context);

    expect(run.code).toBe(0);
    expect(run.output?.AuditLogs).toHaveLength(1);
    expect(await env.user(planner.username)).toEqual({ ...planner, firstName: 'Fátima' });
  });
});

describe('target enable, disable and delete through the CLI', () => {
  it('disables and enables in the string form the account uses', async () => {
    const reference = { actionContext: { References: { Account: stringly.username } } };

    const disabled = await runTarget(env, 'disable', reference);
    expect(disabled.code).toBe(0);
    expect((await env.user(stringly.username))?.active).toBe('False');

    const again = await runTarget(env, 'disable', reference);
    expect(again.output?.AuditLogs[0]?.Message).toMatch(/already inactive/);

    const enabled = await runTarget(env, 'enable', reference);
    expect(enabled.code).toBe(0);
    expect(await env.user(stringly.username)).toEqual(stringly);
  });

  it('previews a delete without changing anything', async () => {
    const before = await env.users();
    const context = { actionContext: { References: { Account: stringly.username } } };
    const run = await runTarget(env, 'delete', context, ['--preview']);

    expect(run.code).toBe(0);
    expect(run.output?.AuditLogs[0]?.Message).toMatch(/^Preview: would delete/);
    expect(await env.users()).toEqual(before);
  });

  it('makes an account inert where the simulator refuses DELETE (405)', async () => {
    const context = { actionContext: { References: { Account: stringly.username } } };
    const run = await runTarget(env, 'delete', context);

    expect(run.code).toBe(0);
    expect(run.output?.AuditLogs[0]?.Message).toMatch(/cannot delete.*made inert/);
    expect(await env.user(stringly.username)).toEqual({ ...stringly, active: 'False', roles: [] });
  });

  it('disables on a reconciliation with an empty person', async () => {
    const run = await runTarget(env, 'disable', {
      file: fixture('context-disable-reconciliation.json'),
    });

    expect(run.code).toBe(0);
    expect((await env.user(NEW_USERNAME))?.active).toBe('False');
  });
});

describe('target import-accounts through the CLI', () => {
  it('prints one line per account with Data limited to ImportFields', async () => {
    const context = { actionContext: { ImportFields: ['firstName', 'resource'] } };
    const run = await runTarget(env, 'import-accounts', context);

    expect(run.code).toBe(0);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual({
      AccountReference: planner.username,
      DisplayName: 'Fátima Öztürk',
      UserName: planner.username,
      Enabled: true,
      Data: { firstName: 'Fátima', resource: '100100' },
    });
  });
});

describe('exit codes', () => {
  it('exits 1 with Success false when update finds no account', async () => {
    const context = { actionContext: { References: { Account: 'nobody' }, Data: { a: 1 } } };
    const run = await runTarget(env, 'update', context);

    expect(run.code).toBe(1);
    expect(run.output).toMatchObject({ Success: false, AuditLogs: [{ IsError: true }] });
  });

  it('exits 0 when delete finds no account', async () => {
    const run = await runTarget(env, 'delete', {
      actionContext: { References: { Account: 'nobody' } },
    });

    expect(run.code).toBe(0);
    expect(run.output?.Success).toBe(true);
  });

  it('exits 2 and sends nothing for context JSON that does not parse', async () => {
    const before = await env.requestCount();
    const run = await runTarget(env, 'update', '{"actionContext": ');

    expect(run.code).toBe(2);
    expect(run.output).toMatchObject({ Success: false, AuditLogs: [{ IsError: true }] });
    expect(run.stderr).toMatch(/not valid JSON/);
    expect(await env.requestCount()).toBe(before);
  });

  it('exits 2 and sends nothing when the correlation value is missing', async () => {
    const before = await env.requestCount();
    const context = {
      actionContext: {
        Data: { username: 'new.person' },
        CorrelationConfiguration: {
          Enabled: true,
          PersonField: 'Person.ExternalId',
          AccountField: 'resource',
        },
      },
    };
    const run = await runTarget(env, 'create', context);

    expect(run.code).toBe(2);
    expect(run.output?.AuditLogs[0]?.Message).toMatch(/correlation value is empty/);
    expect(await env.requestCount()).toBe(before);
    expect(await env.user('new.person')).toBeUndefined();
  });
});
