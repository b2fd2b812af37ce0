import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiRoot, createClient } from '../../src/inplanning/client.js';
import { recordRequests } from '../helpers/msw.js';
import {
  API_BASE,
  CLIENT_ID,
  CLIENT_SECRET,
  REST_BASE,
  ROOT,
  testSettings,
  tokenEndpoint,
  user,
} from './fixtures.js';

const server = setupServer();
const sent = recordRequests(server);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => sent.clear());
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('apiRoot', () => {
  it('adds /api to a base ending in /rest and keeps one ending in /api', () => {
    expect(apiRoot(REST_BASE)).toBe(`${REST_BASE}/api`);
    expect(apiRoot(`${REST_BASE}/`)).toBe(`${REST_BASE}/api`);
    expect(apiRoot(API_BASE)).toBe(API_BASE);
    expect(apiRoot(`${API_BASE}/`)).toBe(API_BASE);
  });
});

describe('token variants', () => {
  it('sends form credentials to {base}/api/token for a base ending in /rest', async () => {
    const tokens = tokenEndpoint();
    server.use(
      tokens.handler,
      http.get(`${ROOT}/users`, () => HttpResponse.json([user('a')])),
    );

    const users = await createClient(testSettings()).listUsers();

    expect(users.map((u) => u.username)).toEqual(['a']);
    const [token, list] = await sent.all();
    expect(token!.method).toBe('POST');
    expect(token!.url).toBe(`${REST_BASE}/api/token`);
    expect(token!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(token!.headers.get('authorization')).toBeNull();
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(list!.method).toBe('GET');
    expect(list!.url).toBe(`${ROOT}/users?limit=0`);
    expect(list!.headers.get('authorization')).toBe('Bearer tok-1');
    expect(list!.headers.get('accept')).toBe('application/json');
  });

  it('sends Basic credentials to {base}/token for a base ending in /api', async () => {
    const tokens = tokenEndpoint(`${API_BASE}/token`);
    server.use(
      tokens.handler,
      http.get(`${API_BASE}/users`, () => HttpResponse.json([])),
    );

    await createClient(testSettings({ BaseUrl: API_BASE, AuthMethod: 'basic' })).listUsers();

    const [token, list] = await sent.all();
    expect(token!.method).toBe('POST');
    expect(token!.url).toBe(`${API_BASE}/token`);
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`, 'utf8').toString('base64');
    expect(token!.headers.get('authorization')).toBe(`Basic ${basic}`);
    expect(token!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
      grant_type: 'client_credentials',
    });
    expect(list!.url).toBe(`${API_BASE}/users?limit=0`);
    expect(list!.headers.get('authorization')).toBe('Bearer tok-1');
  });

  it('accepts the Username/Password names for Basic credentials', async () => {
    const tokens = tokenEndpoint(`${API_BASE}/token`);
    server.use(
      tokens.handler,
      http.get(`${API_BASE}/users`, () => HttpResponse.json([])),
    );
    const settings = testSettings({
      BaseUrl: API_BASE,
      AuthMethod: 'basic',
      ClientId: undefined,
      ClientSecret: undefined,
      Username: 'admin',
      Password: 'pw',
    });

    await createClient(settings).listUsers();

    const [token] = await sent.all();
    expect(token!.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('admin:pw').toString('base64')}`,
    );
  });
});

describe('the shared token', () => {
  it('is fetched once for many calls and reused by another process through the cache', async () => {
    const tokens = tokenEndpoint();
    server.use(
      tokens.handler,
      http.get(`${ROOT}/users`, () => HttpResponse.json([])),
    );
    const settings = testSettings();

    const first = createClient(settings);
    await Promise.all([first.listUsers(), first.listUsers(), first.listUsers()]);
    // A second client stands for another process with the same settings.
    const second = createClient(settings);
    await second.listUsers();

    expect(tokens.issued()).toBe(1);
    const calls = (await sent.all()).filter((request) => request.method === 'GET');
    expect(calls.map((request) => request.headers.get('authorization'))).toEqual(
      Array(4).fill('Bearer tok-1'),
    );
    expect(first.requestCount).toBe(4);
    expect(second.requestCount).toBe(1);
  });

  it('is cached in a file of mode 0600 inside a folder of mode 0700', async () => {
    const tokens = tokenEndpoint();
    server.use(
      tokens.handler,
      http.get(`${ROOT}/users`, () => HttpResponse.json([])),
    );
    const settings = testSettings();

    await createClient(settings).listUsers();

    const folder = path.join(settings.StateDir, 'tokens');
    const cached = (await readdir(folder)).filter((name) => name.endsWith('.json'));
    expect(cached).toHaveLength(1);
    expect(statSync(path.join(folder, cached[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
  });

  it('is not shared between different clients of one tenant', async () => {
    const tokens = tokenEndpoint();
    server.use(
      tokens.handler,
      http.get(`${ROOT}/users`, () => HttpResponse.json([])),
    );
    const settings = testSettings();

    await createClient(settings).listUsers();
    await createClient({ ...settings, ClientId: 'other-client' }).listUsers();

    expect(tokens.issued()).toBe(2);
  });
});

describe('typed calls', () => {
  beforeEach(() => server.use(tokenEndpoint().handler));

  it('get, create and replace users with JSON bodies', async () => {
    const created = user('new.user@example.nl', { active: 'True' });
    server.use(
      http.get(`${ROOT}/users/*`, () => HttpResponse.json(user('j.jansen'))),
      http.post(`${ROOT}/users`, async ({ request }) =>
        HttpResponse.json(await request.json(), { status: 201 }),
      ),
      http.put(`${ROOT}/users`, () => new HttpResponse(null, { status: 204 })),
    );
    const client = createClient(testSettings());

    expect((await client.getUser('j.jansen')).username).toBe('j.jansen');
    expect(await client.createUser(created)).toEqual(created);
    // An empty answer to PUT gives back the user that was sent.
    expect(await client.replaceUser(created)).toEqual(created);

    const [, get, post, put] = await sent.all();
    expect([get!.method, get!.url]).toEqual(['GET', `${ROOT}/users/j.jansen`]);
    for (const write of [post!, put!]) {
      expect(write.url).toBe(`${ROOT}/users`);
      expect(write.headers.get('content-type')).toBe('application/json');
      expect(JSON.parse(write.body)).toEqual(created);
    }
    expect([post!.method, put!.method]).toEqual(['POST', 'PUT']);
  });

  it('list human resources and flatten the resource group tree', async () => {
    server.use(
      http.get(`${ROOT}/humanresources`, () =>
        HttpResponse.json([{ uname: 'E1', externalId: '1', labourHists: [] }]),
      ),
      http.get(`${ROOT}/v2/resourcegroups`, () =>
        HttpResponse.json([
          {
            uname: 'root',
            name: 'Zorg',
            children: [{ uname: 'ward', name: 'Afdeling', children: [{ uname: 'team' }] }],
          },
          { uname: 'other', parent: null },
        ]),
      ),
    );
    const client = createClient(testSettings());

    expect((await client.listHumanResources())[0]!.uname).toBe('E1');
    const groups = await client.listResourceGroups();

    expect(groups.map((group) => [group.uname, group.parent])).toEqual([
      ['root', null],
      ['ward', 'root'],
      ['team', 'ward'],
      ['other', null],
    ]);
    expect(groups.every((group) => !('children' in group))).toBe(true);
    const urls = (await sent.all()).slice(1).map((request) => request.url);
    expect(urls).toEqual([`${ROOT}/humanresources?limit=0`, `${ROOT}/v2/resourcegroups`]);
  });

  it('read resource and group rosters', async () => {
    const day = { rosterDate: '2026-03-01', absence: null, parts: [] };
    server.use(
      http.get(`${ROOT}/roster/resourceRoster`, () =>
        HttpResponse.json({ resource: 'E1', days: [day] }),
      ),
      http.get(`${ROOT}/roster/groupRoster`, () =>
        HttpResponse.json({ resourceRosters: [{ uname: 'E1', days: [day] }] }),
      ),
    );
    const client = createClient(testSettings());

    const roster = await client.getResourceRoster('E1', '2026-03-01', '2026-03-02');
    const group = await client.getGroupRoster('ward', '2026-03-01', '2026-03-02');

    expect(roster.days).toEqual([day]);
    expect(group.resourceRosters?.[0]?.uname).toBe('E1');
    const urls = (await sent.all()).slice(1).map((request) => request.url);
    expect(urls).toEqual([
      `${ROOT}/roster/resourceRoster?resource=E1&startDate=2026-03-01&endDate=2026-03-02`,
      `${ROOT}/roster/groupRoster?resourceGroup=ward&startDate=2026-03-01&endDate=2026-03-02`,
    ]);
  });
});

describe('URL encoding', () => {
  beforeEach(() => server.use(tokenEndpoint().handler));

  it.each([
    ['j.jansen@example.nl', 'j.jansen%40example.nl'],
    ['jan de vries', 'jan%20de%20vries'],
    ['domain/jan', 'domain%2Fjan'],
    ['100%', '100%25'],
    ['who?', 'who%3F'],
    ['nr#1', 'nr%231'],
    ['ë & é', '%C3%AB%20%26%20%C3%A9'],
  ])('encodes the username %j as one path segment', async (username, encoded) => {
    server.use(http.get(`${ROOT}/users/*`, () => HttpResponse.json(user(username))));

    await createClient(testSettings()).getUser(username);

    const [, get] = await sent.all();
    expect(get!.url).toBe(`${ROOT}/users/${encoded}`);
  });

  it('encodes every query value, a space as %20', async () => {
    server.use(
      http.get(`${ROOT}/roster/resourceRoster`, () => HttpResponse.json({ days: [] })),
      http.get(`${ROOT}/roster/groupRoster`, () => HttpResponse.json({ resourceRosters: [] })),
    );
    const client = createClient(testSettings());

    await client.getResourceRoster('a b&c=d/é#?+', '2026-01-01', '2026-01-02');
    await client.getGroupRoster('Zorg & Welzijn', '2026-01-01', '2026-01-02');

    const [, resource, group] = await sent.all();
    expect(resource!.url).toBe(
      `${ROOT}/roster/resourceRoster?resource=a%20b%26c%3Dd%2F%C3%A9%23%3F%2B` +
        '&startDate=2026-01-01&endDate=2026-01-02',
    );
    expect(new URL(resource!.url).searchParams.get('resource')).toBe('a b&c=d/é#?+');
    expect(group!.url).toContain('resourceGroup=Zorg%20%26%20Welzijn&');
  });
});

describe('response schemas', () => {
  beforeEach(() => server.use(tokenEndpoint().handler));

  it('accept active as a boolean or as "True"/"False" and keep unknown fields', async () => {
    const users = [
      user('a', { active: true }),
      user('b', { active: 'False', customField: { x: 1 } }),
      user('c', {
        active: 'True',
        roles: [{ role: 'Planner', resourceGroup: 'ward', startDate: '2026-01-01', extra: 7 }],
      }),
      { username: 'd' },
    ];
    server.use(http.get(`${ROOT}/users`, () => HttpResponse.json(users)));

    const listed = await createClient(testSettings()).listUsers();

    expect(listed).toEqual(users);
  });

  it('keep unknown fields of roster days and parts', async () => {
    const part = {
      shift: { uname: '07:00-15:30 Vroeg', name: 'Vroeg', colour: 'red' },
      group: { uname: 'ward', name: 'Afdeling' },
      prop: null,
      note: 'kept',
    };
    const roster = { resource: 'E1', days: [{ rosterDate: '2026-03-01', parts: [part], x: 1 }] };
    server.use(http.get(`${ROOT}/roster/resourceRoster`, () => HttpResponse.json(roster)));

    const read = await createClient(testSettings()).getResourceRoster('E1', 'a', 'b');

    expect(read).toEqual(roster);
  });
});

describe('concurrency limit', () => {
  it('runs at most Concurrency tasks at once', async () => {
    let inFlight = 0;
    let highest = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${ROOT}/users/*`, async ({ request }) => {
        inFlight += 1;
        highest = Math.max(highest, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 40));
        inFlight -= 1;
        return HttpResponse.json(user(decodeURIComponent(request.url.split('/').at(-1)!)));
      }),
    );
    const client = createClient(testSettings({ Concurrency: 3 }));
    const names = Array.from({ length: 9 }, (_, index) => `user${index}`);

    const users = await Promise.all(names.map((name) => client.limit(() => client.getUser(name))));

    expect(users.map((u) => u.username)).toEqual(names);
    expect(highest).toBe(3);
    expect((await sent.all()).filter((request) => request.method === 'GET')).toHaveLength(9);
  });
});
