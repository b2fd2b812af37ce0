import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatorServer, type RunningSimulator } from '../../src/simulator/server.js';
import { SECRET, TODAY } from './support.js';

let running: RunningSimulator | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: Parameters<typeof startSimulatorServer>[0] = {}) {
  running = await startSimulatorServer({
    users: 50,
    today: TODAY,
    clientSecret: SECRET,
    ...options,
  });
  return running;
}

async function tokenFor(sim: RunningSimulator): Promise<string> {
  const response = await fetch(`${sim.baseUrl}/api/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: sim.credentials.clientId,
      client_secret: SECRET,
      grant_type: 'client_credentials',
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('simulator on node:http', () => {
  it('listens on 127.0.0.1 with both base URL forms and /_sim at the root', async () => {
    const sim = await start();
    const headers = { authorization: `Bearer ${await tokenFor(sim)}` };

    const created = await fetch(`${sim.adminBaseUrl}/users`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'extern/a b@zorg.nl', active: 'True', roles: [] }),
    });
    const read = await fetch(
      `${sim.baseUrl}/api/users/${encodeURIComponent('extern/a b@zorg.nl')}`,
      {
        headers,
      },
    );
    const stats = await fetch(`${sim.rootUrl}/_sim/stats`);

    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/InPlanningService\/rest$/);
    expect(created.status).toBe(200);
    expect(((await read.json()) as { username: string }).username).toBe('extern/a b@zorg.nl');
    expect(((await stats.json()) as { requests: Record<string, number> }).requests).toEqual({
      'POST /token': 1,
      'POST /users': 1,
      'GET /users/{username}': 1,
    });
  });

  it('resets the connection for a reset fault', async () => {
    const sim = await start({ faultRate: 1 });
    const headers = { authorization: `Bearer ${await tokenFor(sim)}` };

    const first = await fetch(`${sim.baseUrl}/api/users`, { headers });
    const second = await fetch(`${sim.baseUrl}/api/users`, { headers });
    const third = fetch(`${sim.baseUrl}/api/users`, { headers });

    expect([first.status, second.status]).toEqual([429, 503]);
    await expect(third).rejects.toThrow(TypeError);
  });

  it('keeps a slow answer past a client timeout and still closes at once', async () => {
    const sim = await start({ faultRate: 1 });
    const headers = { authorization: `Bearer ${await tokenFor(sim)}` };
    // The rotation is 429, 503, reset, slow: three requests pass before each slow one.
    const skipThree = async () => {
      for (let index = 0; index < 3; index += 1) {
        await fetch(`${sim.baseUrl}/api/users`, { headers }).catch(() => undefined);
      }
    };
    await skipThree();

    const timedOut = fetch(`${sim.baseUrl}/api/users`, {
      headers,
      signal: AbortSignal.timeout(150),
    });
    await expect(timedOut).rejects.toThrow();
    await skipThree();
    const pending = fetch(`${sim.baseUrl}/api/users`, { headers }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await sim.close();
    running = undefined;

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('refuses requests beyond maxConcurrent per client over HTTP', async () => {
    const sim = await start({ maxConcurrent: 1, latency: 80 });
    const headers = { authorization: `Bearer ${await tokenFor(sim)}` };

    const responses = await Promise.all(
      [0, 1, 2].map(() => fetch(`${sim.baseUrl}/api/users?limit=1`, { headers })),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([200, 429, 429]);
    expect(sim.stats().throttled).toBe(2);
  });
});
