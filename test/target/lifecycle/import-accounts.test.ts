import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../src/inplanning/schemas.js';
import { run } from '../../../src/target/import-accounts.js';
import {
  actionInput,
  fakeTenant,
  type FakeTenant,
  tempStateDir,
  testSettings,
} from './fake-tenant.js';

const state = tempStateDir();
const settings = testSettings(state.dir);
let tenant: FakeTenant;

const users: User[] = [
  {
    username: 'a.jansen',
    firstName: 'Ælfric',
    lastName: 'Jansen',
    email: 'a.jansen@zorg.nl',
    active: 'True',
    resource: '1',
    roles: [{ role: 'Planner', resourceGroup: 'Noord' }],
  },
  { username: 'b.smit', displayName: 'x'.repeat(99) + '😀😀', active: false },
  { username: 'c.noname', firstName: '  ', lastName: null, active: true },
];

async function rows(actionContext: Record<string, unknown>) {
  const result = await run(actionInput(settings, actionContext));
  if (result.kind !== 'rows') throw new Error('expected rows');
  return result.rows;
}

beforeEach(() => {
  tenant = fakeTenant(users);
  tenant.server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => tenant.server.close());
afterAll(() => state.remove());

describe('target import-accounts', () => {
  it('lists every account with Data limited to ImportFields, in one request', async () => {
    const result = await rows({ importFields: ['firstName', 'EMAIL', 'roles', 'missing'] });

    expect(tenant.sent).toEqual([{ method: 'GET', path: '/users?limit=0', body: undefined }]);
    expect(result[0]).toEqual({
      AccountReference: 'a.jansen',
      DisplayName: 'Ælfric Jansen',
      UserName: 'a.jansen',
      Enabled: true,
      Data: { firstName: 'Ælfric', EMAIL: 'a.jansen@zorg.nl', missing: null },
    });
    expect(result).toHaveLength(3);
  });

  it('keeps display names within 100 characters and never empty', async () => {
    const [, long, noName] = (await rows({})) as { DisplayName: string; Enabled: boolean }[];

    expect(Array.from(long?.DisplayName ?? '')).toHaveLength(100);
    expect(long?.DisplayName.endsWith('😀')).toBe(true);
    expect(long?.Enabled).toBe(false);
    expect(noName?.DisplayName).toBe('c.noname');
  });

  it('returns every field except arrays when ImportFields is absent', async () => {
    const [first] = (await rows({})) as { Data: Record<string, unknown> }[];
    expect(first?.Data).toEqual({
      username: 'a.jansen',
      firstName: 'Ælfric',
      lastName: 'Jansen',
      email: 'a.jansen@zorg.nl',
      active: 'True',
      resource: '1',
    });
  });
});
