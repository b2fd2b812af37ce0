/**
 * readPersons and readDepartments through the real client over msw: the requests sent (paths,
 * encoded queries, one roster per group) and fail-closed handling of answers InPlanning gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectionSettings, loadSettings, requireConnection } from '../../src/config.js';
import { IncompleteError } from '../../src/errors.js';
import { createClient } from '../../src/inplanning/client.js';
import { setLogLevel } from '../../src/log.js';
import { readDepartments } from '../../src/source/departments.js';
import { readPersons } from '../../src/source/persons.js';
import { day, part, user } from './fake-client.js';

const BASE_URL = 'https://tenant.test.rooster.nl/InPlanningService/rest';
const API = `${BASE_URL}/api`;
const WINDOW = { from: '2026-03-28', to: '2026-03-29' };

const GROUP_TREE = [
  {
    uname: 'ZKH',
    name: 'Ziekenhuis',
    children: [
      { uname: 'A&B Team', name: 'Team A&B' },
      { uname: 'ICU', name: 'Intensive care' },
    ],
  },
];

const ROSTERS: Record<string, { resourceRosters: unknown[] }> = {
  'A&B Team': {
    resourceRosters: [
      { uname: 'R 1', days: [day('2026-03-28', [part('22:00-07:00 Nacht', 'A&B Team')])] },
    ],
  },
  ICU: {
    resourceRosters: [{ uname: 'R 1', days: [day('2026-03-29', [part('0700-1530', 'ICU')])] }],
  },
  ZKH: { resourceRosters: [] },
};

const sent: string[] = [];
let groupRosterAnswer: (group: string) => Response = (group) => HttpResponse.json(ROSTERS[group]);

const server = setupServer(
  http.post(`${API}/token`, () =>
    HttpResponse.json({ access_token: 'tok-123456789', expires_in: 3600 }),
  ),
  http.get(`${API}/users`, () => HttpResponse.json([user('anna@zkh.nl', 'R 1')])),
  http.get(`${API}/v2/resourcegroups`, () => HttpResponse.json(GROUP_TREE)),
  http.get(`${API}/roster/groupRoster`, ({ request }) =>
    groupRosterAnswer(new URL(request.url).searchParams.get('resourceGroup') ?? ''),
  ),
);

let stateDir: string;
let settings: ConnectionSettings;

beforeAll(() => {
  setLogLevel('silent');
  server.listen({ onUnhandledRequest: 'error' });
  server.events.on('request:start', ({ request }) => {
    sent.push(`${request.method} ${request.url.slice(API.length)}`);
  });
});
beforeEach(() => {
  stateDir = mkdtempSync(path.join(os.tmpdir(), 'source-http-'));
  settings = requireConnection(
    loadSettings({
      fromContext: {
        BaseUrl: BASE_URL,
        ClientId: 'client',
        ClientSecret: 'secret-value',
        StateDir: stateDir,
        MaxRetries: 1,
        AccessLeadMinutes: 0,
        AccessLagMinutes: 0,
      },
      env: {},
    }),
  );
  sent.length = 0;
  groupRosterAnswer = (group) => HttpResponse.json(ROSTERS[group]);
});
afterEach(() => {
  server.resetHandlers();
  rmSync(stateDir, { recursive: true, force: true });
});
afterAll(() => server.close());

describe('reads over HTTP', () => {
  it('reads one roster per group with encoded queries and builds the contracts', async () => {
    const persons = await readPersons(createClient(settings), settings, WINDOW);

    expect(persons).toHaveLength(1);
    expect(persons[0]?.ExternalId).toBe('R 1');
    expect(persons[0]?.Contracts.map((c) => [c.StartDate, c.EndDate, c.ParentGroup])).toEqual([
      [
        '2026-03-28T22:00:00+01:00',
        '2026-03-29T07:00:00+02:00',
        { ExternalId: 'ZKH', DisplayName: 'Ziekenhuis' },
      ],
      [
        '2026-03-29T07:00:00+02:00',
        '2026-03-29T15:30:00+02:00',
        { ExternalId: 'ZKH', DisplayName: 'Ziekenhuis' },
      ],
    ]);
    expect([...sent].sort()).toEqual([
      'GET /roster/groupRoster?resourceGroup=A%26B%20Team&startDate=2026-03-28&endDate=2026-03-29',
      'GET /roster/groupRoster?resourceGroup=ICU&startDate=2026-03-28&endDate=2026-03-29',
      'GET /roster/groupRoster?resourceGroup=ZKH&startDate=2026-03-28&endDate=2026-03-29',
      'GET /users?limit=0',
      'GET /v2/resourcegroups',
      'POST /token',
    ]);
  });

  it('fails as a whole on a 211 for a group it just listed, without retrying it', async () => {
    groupRosterAnswer = (group) =>
      group === 'ICU'
        ? HttpResponse.json({ message: '211 - resourceGroup: does not exist.' }, { status: 400 })
        : HttpResponse.json(ROSTERS[group]);
    const failure = await readPersons(createClient(settings), settings, WINDOW).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(IncompleteError);
    expect((failure as Error).message).toMatch(/211 \(not found\) for the roster of group "ICU"/);
    expect(sent.filter((line) => line.includes('resourceGroup=ICU'))).toHaveLength(1);
  });

  it('fails as a whole on an answer that is not a roster', async () => {
    groupRosterAnswer = () => HttpResponse.json({ resourceRosters: [{ days: 'none' }] });
    await expect(readPersons(createClient(settings), settings, WINDOW)).rejects.toThrow(
      /roster of group ".*" .* unexpected shape/,
    );
  });

  it('reads departments from the flattened group tree', async () => {
    const departments = await readDepartments(createClient(settings));
    expect(departments.map((d) => [d.ExternalId, d.ParentExternalId])).toEqual([
      ['A&B Team', 'ZKH'],
      ['ICU', 'ZKH'],
      ['ZKH', null],
    ]);
    expect(sent).toEqual(['POST /token', 'GET /v2/resourcegroups']);
  });
});
