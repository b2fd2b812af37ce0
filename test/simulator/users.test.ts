import { beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/handler.js';
import type { User } from '../../src/inplanning/schemas.js';
import { DEFAULT_PAGE_SIZE } from '../../src/simulator/tenant.js';
import { accessToken, call, read, simulator } from './support.js';

const GROUP = 'ZRG-CAR';

function newUser(username: string, extra: Partial<User> = {}): User {
  return {
    username,
    firstName: 'Noël',
    lastName: 'van der Meer',
    email: 'n.vandermeer@example.nl',
    active: 'True',
    userGroup: 'Medewerkers',
    resource: null,
    roles: [{ role: 'Medewerker', resourceGroup: GROUP, startDate: '2026-01-01', endDate: null }],
    ...extra,
  };
}

describe('simulator users', () => {
  let sim: Simulator;
  let token: string;

  beforeEach(async () => {
    sim = simulator({ users: 250 });
    token = await accessToken(sim);
  });

  it('lists every user with limit=0 and only a first page without a limit', async () => {
    const all = await read<User[]>(await call(sim, '/users?limit=0', { token }));
    const page = await read<User[]>(await call(sim, '/users', { token }));
    const two = await read<User[]>(await call(sim, '/users?limit=2', { token }));

    expect(all.body).toHaveLength(sim.tenant.userCount);
    expect(all.body.length).toBeGreaterThan(DEFAULT_PAGE_SIZE);
    expect(page.body).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(two.body.map((user) => user.username)).toEqual(
      all.body.slice(0, 2).map((user) => user.username),
    );
  });

  it('reads a user by its URL-encoded username, with @, a space and a slash', async () => {
    for (const username of ['a.b@zorg.nl', 'Anouk van Dijk', 'extern/a.dijk']) {
      await call(sim, '/users', { token, method: 'POST', body: newUser(username) });
    }

    const byAt = await read<User>(await call(sim, '/users/a.b%40zorg.nl', { token }));
    const bySpace = await read<User>(await call(sim, '/users/Anouk%20van%20Dijk', { token }));
    const bySlash = await read<User>(await call(sim, '/users/extern%2Fa.dijk', { token }));
    const rawSlash = await call(sim, '/users/extern/a.dijk', { token });

    expect(byAt.body.username).toBe('a.b@zorg.nl');
    expect(bySpace.body.username).toBe('Anouk van Dijk');
    expect(bySlash.body.username).toBe('extern/a.dijk');
    expect(rawSlash.status).toBe(404);
  });

  it('answers 211 with HTTP 400 for an unknown username', async () => {
    const { status, body } = await read<{ message: string }>(
      await call(sim, '/users/nobody%40nowhere.nl', { token }),
    );

    expect(status).toBe(400);
    expect(body.message).toMatch(/^211 - /);
  });

  it('creates a user and refuses a second user with the same username', async () => {
    const created = await read<User>(
      await call(sim, '/users', { token, method: 'POST', body: newUser('nieuw@zorg.nl') }),
    );
    const again = await read<{ message: string }>(
      await call(sim, '/users', { token, method: 'POST', body: newUser('nieuw@zorg.nl') }),
    );
    const fetched = await read<User>(await call(sim, '/users/nieuw%40zorg.nl', { token }));

    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ username: 'nieuw@zorg.nl', active: 'True' });
    expect(again.status).toBe(400);
    expect(again.body.message).toContain('already exists');
    expect(again.body.message).not.toMatch(/^211/);
    expect(fetched.body.lastName).toBe('van der Meer');
  });

  it('replaces the whole user on PUT: omitted fields go, unknown fields are kept', async () => {
    await call(sim, '/users', {
      token,
      method: 'POST',
      body: newUser('vervang', { displayName: 'Weg straks', roles: [] }),
    });
    const replacement = { username: 'vervang', firstName: 'Eva', active: false, custom: 42 };

    const put = await read<User>(
      await call(sim, '/users', { token, method: 'PUT', body: replacement }),
    );
    const after = await read<User>(await call(sim, '/users/vervang', { token }));

    expect(put.status).toBe(200);
    expect(after.body).toEqual(replacement);
    expect(after.body).not.toHaveProperty('displayName');
  });

  it('answers 211 to a PUT of an unknown username and stores nothing', async () => {
    const put = await read<{ message: string }>(
      await call(sim, '/users', { token, method: 'PUT', body: newUser('bestaat.niet') }),
    );
    const get = await call(sim, '/users/bestaat.niet', { token });

    expect(put.status).toBe(400);
    expect(put.body.message).toMatch(/^211 - /);
    expect(get.status).toBe(400);
  });

  it('refuses a role whose resource group does not exist and names the group', async () => {
    const roles = [{ role: 'Medewerker', resourceGroup: 'Team Bestaat Niet', endDate: null }];

    const post = await read<{ message: string }>(
      await call(sim, '/users', { token, method: 'POST', body: newUser('x', { roles }) }),
    );
    const exchange = await read<{ message: string }>(
      await call(sim, '/users', {
        token,
        method: 'POST',
        body: newUser('y', {
          roles: [{ role: 'Medewerker', resourceGroup: GROUP, exchangeGroup: 'Nergens' }],
        }),
      }),
    );
    const listed = await read<User[]>(await call(sim, '/users?limit=0', { token }));

    expect(post.status).toBe(400);
    expect(post.body.message).toContain('Team Bestaat Niet');
    expect(exchange.status).toBe(400);
    expect(exchange.body.message).toContain('Nergens');
    expect(listed.body.some((user) => user.username === 'x' || user.username === 'y')).toBe(false);
  });

  it('accepts a role that names its group by name instead of uname', async () => {
    const roles = [{ role: 'Medewerker', resourceGroup: 'Afdeling Cardiologie' }];

    const post = await call(sim, '/users', {
      token,
      method: 'POST',
      body: newUser('z', { roles }),
    });

    expect(post.status).toBe(200);
  });

  it('refuses invalid users: bad active, bad role dates, body that is not JSON', async () => {
    const badActive = await call(sim, '/users', {
      token,
      method: 'POST',
      body: newUser('a1', { active: 'yes' }),
    });
    const badDate = await call(sim, '/users', {
      token,
      method: 'POST',
      body: newUser('a2', {
        roles: [{ role: 'Medewerker', resourceGroup: GROUP, startDate: '1-2-2026' }],
      }),
    });
    const notJson = await sim.handle(
      new Request('https://tenant.test.rooster.nl/InPlanningService/rest/api/users', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{nope',
      }),
    );

    expect([badActive.status, badDate.status, notJson.status]).toEqual([400, 400, 400]);
  });

  it('answers 405 to DELETE of a user, and the user stays', async () => {
    const [first] = (await read<User[]>(await call(sim, '/users?limit=1', { token }))).body;
    const path = `/users/${encodeURIComponent(first!.username)}`;

    const deleted = await call(sim, path, { token, method: 'DELETE' });
    const after = await call(sim, path, { token });

    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('GET');
    expect(after.status).toBe(200);
  });

  it('lists human resources and the resource groups as a flat list with parents', async () => {
    const people = await read<{ uname: string }[]>(
      await call(sim, '/humanresources?limit=0', { token }),
    );
    const groups = await read<{ uname: string; parent: string | null }[]>(
      await call(sim, '/v2/resourcegroups', { token }),
    );
    const unames = new Set(groups.body.map((group) => group.uname));

    expect(people.body).toHaveLength(250);
    expect(groups.body.some((group) => group.parent === null)).toBe(true);
    expect(groups.body.every((group) => group.parent === null || unames.has(group.parent))).toBe(
      true,
    );
  });
});
