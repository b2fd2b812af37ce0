/**
 * End to end: the built CLI reads a simulator tenant with known shifts
 * (fixtures/source-tenant.json) and must print exactly the expected persons and departments,
 * fail closed, and keep its safety net.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, sentences } from '../helpers/cli.js';
import { startFakeServer } from '../helpers/fake-server.js';
import { type RunningSimulator, startSimulator } from '../helpers/simulator.js';

const TENANT = path.join(REPO_ROOT, 'fixtures', 'source-tenant.json');
const WINDOW = ['--from', '2026-03-28', '--to', '2026-03-31'];

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'fixtures', name), 'utf8'));
}

const expectedPersons = fixture('source-persons-expected.json') as Array<{
  ExternalId: string;
  Contracts: Array<{ ExternalId: string }>;
}>;
const expectedDepartments = fixture('source-departments-expected.json');

const work = mkdtempSync(path.join(os.tmpdir(), 'source-e2e-'));
let configCount = 0;

/** A settings file for a simulator, with short timeouts so that faults cost little time. */
function configFor(baseUrl: string, clientId: string, secret: string, extra: object = {}) {
  const file = path.join(work, `config-${++configCount}.json`);
  const settings = {
    BaseUrl: baseUrl,
    ClientId: clientId,
    ClientSecret: secret,
    StateDir: path.join(work, `state-${configCount}`),
    AccessLeadMinutes: 60,
    AccessLagMinutes: 30,
    RequestTimeoutSeconds: 1,
    MaxRetries: 10,
    ...extra,
  };
  writeFileSync(file, JSON.stringify(settings));
  return file;
}

function simulatorConfig(sim: RunningSimulator, extra: object = {}): string {
  return configFor(sim.info.baseUrl, sim.info.clientId, sim.info.clientSecret, extra);
}

const simulators: RunningSimulator[] = [];
async function simulator(flags: string[]): Promise<RunningSimulator> {
  const sim = await startSimulator(['--data', TENANT, ...flags]);
  simulators.push(sim);
  return sim;
}

afterAll(async () => {
  await Promise.all(simulators.map((sim) => sim.stop()));
  rmSync(work, { recursive: true, force: true });
});

describe('source persons and departments against a known tenant', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await simulator([]);
  });

  it('prints exactly the expected persons, as one JSON array', async () => {
    const result = await runCli([
      'source',
      'persons',
      '--config',
      simulatorConfig(sim),
      ...WINDOW,
      '--format',
      'json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expectedPersons);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('prints the same persons as one object per line by default', async () => {
    const result = await runCli(['source', 'persons', '--config', simulatorConfig(sim), ...WINDOW]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(expectedPersons);
  });

  it('gives the same result reading one roster per person', async () => {
    const config = simulatorConfig(sim, { RosterMode: 'resource', Concurrency: 3 });
    const result = await runCli([
      'source',
      'persons',
      '--config',
      config,
      ...WINDOW,
      '--format',
      'json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expectedPersons);
  });

  it('reads human resources employed in the window when PersonSource says so', async () => {
    const result = await runCli(
      ['source', 'persons', '--config', simulatorConfig(sim), ...WINDOW],
      {
        env: { INPLANNING_PERSON_SOURCE: 'humanresources' },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const persons = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { ExternalId: string; DisplayName: string });
    expect(persons.map((person) => [person.ExternalId, person.DisplayName])).toEqual([
      ['E1001', 'Anna de Vries'],
      ['E1002', 'Bilal El Idrissi'],
      ['E1003', 'Chloë Jansen'],
      ['E1004', 'Dirk Bakker'],
      ['E1005', 'Eva Smit'],
    ]);
  });

  it('prints the departments', async () => {
    const args = ['source', 'departments', '--config', simulatorConfig(sim), '--format', 'json'];
    const result = await runCli(args);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expectedDepartments);
  });

  it('maps each person through --mapping', async () => {
    const mapping = path.join(REPO_ROOT, 'fixtures', 'mapping.json');
    const args = ['source', 'persons', '--config', simulatorConfig(sim), ...WINDOW];
    const result = await runCli([...args, '--mapping', mapping, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const persons = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(persons).toHaveLength(expectedPersons.length);
    expect(persons[0]).toMatchObject({
      ExternalId: 'E1001',
      DisplayName: 'Anna de Vries',
      Name: { GivenName: 'Anna', FamilyName: 'de Vries' },
      Contracts: [
        {
          ExternalId: expectedPersons[0]?.Contracts[0]?.ExternalId,
          StartDate: '2026-03-28T22:00:00+01:00',
          EndDate: '2026-03-29T07:00:00+02:00',
          Department: { ExternalId: 'ICU-N', DisplayName: 'Intensive care nacht' },
          Title: { Code: 'VPK', Name: 'Verpleegkundige' },
          Custom: { AccessStartDate: '2026-03-28T21:00:00+01:00' },
        },
        expect.anything(),
      ],
    });
  });

  it('prints nothing and exits 1 when the mapping refuses a person', async () => {
    const mapping = path.join(work, 'strict-mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        personMappings: [
          { name: 'Custom.Badge', mode: 'field', value: 'Badge', validation: { required: true } },
        ],
      }),
    );
    const args = ['source', 'persons', '--config', simulatorConfig(sim), ...WINDOW];
    const result = await runCli([...args, '--mapping', mapping]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(sentences(result.stderr).join(' ')).toMatch(/Custom\.Badge/);
  });

  it('refuses a wrong invocation with exit 2 before sending anything', async () => {
    const before = await sim.stats();
    const config = simulatorConfig(sim);
    const results = await Promise.all([
      runCli(['source', 'persons', '--config', config, '--format', 'xml']),
      runCli(['source', 'persons', '--config', config, '--from', '2026-02-30']),
      runCli(['source', 'persons', '--config', config, '--mapping', path.join(work, 'none.json')]),
      runCli(['source', 'persons', '--config', simulatorConfig(sim, { TimeZone: 'Mars/Base' })]),
    ]);
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
    }
    expect(sentences(results[0]!.stderr)).toEqual([
      'inplanning: --format must be "ndjson" or "json" (got "xml").',
    ]);
    expect(sentences(results[3]!.stderr)[0]).toMatch(/TimeZone/);
    expect(await sim.stats()).toMatchObject({ requests: before.requests });
  });
});

describe('fail closed', () => {
  it('exits 1 and prints nothing when every request fails (fault rate 1.0)', async () => {
    const sim = await simulator(['--fault-rate', '1.0']);
    const config = simulatorConfig(sim, { MaxRetries: 2 });
    const result = await runCli([
      'source',
      'persons',
      '--config',
      config,
      ...WINDOW,
      '--format',
      'json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(sentences(result.stderr).join(' ')).toMatch(/^inplanning: Reading the .* failed/);
  });

  it('completes with the same result as without faults at a fault rate of 0.2', async () => {
    const sim = await simulator(['--fault-rate', '0.2', '--seed', '7']);
    const config = simulatorConfig(sim, { RosterMode: 'resource' });
    const result = await runCli([
      'source',
      'persons',
      '--config',
      config,
      ...WINDOW,
      '--format',
      'json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expectedPersons);
    const stats = await sim.stats();
    expect(
      Object.values(stats.faults as Record<string, number>).reduce((a, b) => a + b),
    ).toBeGreaterThan(0);
  });

  it('exits 1 and prints nothing when only the roster calls fail, naming the roster', async () => {
    const tenant = fixture('source-tenant.json') as { users: unknown[] };
    const server = await startFakeServer((request) => {
      if (request.url.startsWith('/api/token')) {
        return { status: 200, json: { access_token: 'token-1234567890', expires_in: 3600 } };
      }
      if (request.url.startsWith('/api/users')) return { status: 200, json: tenant.users };
      if (request.url.startsWith('/api/v2/resourcegroups')) {
        return {
          status: 200,
          json: [
            { uname: 'ICU', name: 'IC' },
            { uname: 'SEH', name: 'SEH' },
          ],
        };
      }
      if (request.url.includes('resourceGroup=SEH')) {
        return { status: 400, json: { message: '211 - resourceGroup: The item does not exist.' } };
      }
      return { status: 503, text: 'Service Unavailable' };
    });
    try {
      const config = configFor(server.origin, 'client', 'secret-secret', { MaxRetries: 1 });
      const result = await runCli(['source', 'persons', '--config', config, ...WINDOW]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(sentences(result.stderr).join(' ')).toMatch(
        /roster of group "(ICU|SEH)" \(2026-03-28 to 2026-03-31\)/,
      );
      const rosterCalls = server.requests.filter((request) => request.url.includes('groupRoster'));
      expect(rosterCalls.map((request) => request.url).sort()[0]).toBe(
        '/api/roster/groupRoster?resourceGroup=ICU&startDate=2026-03-28&endDate=2026-03-31',
      );
    } finally {
      await server.close();
    }
  });
});

describe('MaxRemovedPercent', () => {
  it('refuses a result that lost too many persons, until --force accepts it once', async () => {
    const full = fixture('source-tenant.json') as { rosters: Record<string, unknown> };
    const shrunk = { ...full, rosters: { E1001: full.rosters.E1001 } };
    const shrunkFile = path.join(work, 'shrunk.json');
    writeFileSync(shrunkFile, JSON.stringify(shrunk));

    const first = await simulator([]);
    const stateDir = path.join(work, 'net-state');
    const settings = (sim: RunningSimulator) =>
      simulatorConfig(sim, { MaxRemovedPercent: 25, StateDir: stateDir });
    const baseline = await runCli(['source', 'persons', '--config', settings(first), ...WINDOW]);
    expect(baseline.code, baseline.stderr).toBe(0);

    // The state is kept per BaseUrl, so the smaller tenant must answer on the same address.
    await first.stop();
    const again = await startSimulator(['--data', shrunkFile, '--port', portOf(first)]);
    simulators.push(again);

    const refused = await runCli(['source', 'persons', '--config', settings(again), ...WINDOW]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(sentences(refused.stderr).join(' ')).toContain(
      'Refusing the result: 3 of 4 persons (75.0%) and 8 of 10 contracts (80.0%) disappeared',
    );

    const forced = await runCli([
      'source',
      'persons',
      '--config',
      settings(again),
      ...WINDOW,
      '--force',
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout.trimEnd().split('\n')).toHaveLength(1);

    const next = await runCli(['source', 'persons', '--config', settings(again), ...WINDOW]);
    expect(next.code, next.stderr).toBe(0);
  });
});

function portOf(sim: RunningSimulator): string {
  return new URL(sim.origin).port;
}
