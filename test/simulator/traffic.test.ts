import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/handler.js';
import { isResetConnection } from '../../src/simulator/http.js';
import { parseTenantData } from '../../src/simulator/tenant.js';
import { BASE, accessToken, call, formToken, read, simulator } from './support.js';

const ROOT = new URL(BASE).origin;

async function statuses(sim: Simulator, token: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const response = await call(sim, '/users?limit=1', { token });
    seen.push(isResetConnection(response) ? 'reset' : String(response.status));
  }
  return seen;
}

describe('simulator traffic', () => {
  it('answers 429 with Retry-After beyond maxConcurrent requests of one client', async () => {
    const sim = simulator({ maxConcurrent: 2, latency: 60 });
    const token = await accessToken(sim);

    const responses = await Promise.all(
      Array.from({ length: 4 }, () => call(sim, '/users?limit=1', { token })),
    );
    const later = await call(sim, '/users?limit=1', { token });

    const codes = responses.map((response) => response.status).sort();
    expect(codes).toEqual([200, 200, 429, 429]);
    const refused = responses.find((response) => response.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(later.status).toBe(200);
    expect(sim.stats()).toMatchObject({ throttled: 2, maxInFlight: 4, inFlight: 0 });
  });

  it('does not limit concurrency when maxConcurrent is unset', async () => {
    const sim = simulator({ latency: 30 });
    const token = await accessToken(sim);

    const responses = await Promise.all(
      Array.from({ length: 6 }, () => call(sim, '/users?limit=1', { token })),
    );

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(sim.stats().maxInFlight).toBe(6);
  });

  it('adds the latency to every API response', async () => {
    const sim = simulator({ latency: 80 });
    const started = performance.now();

    const response = await formToken(sim);

    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('rotates faults through 429, 503, a reset and a slow answer, never on tokens', async () => {
    const sim = simulator({ faultRate: 1, slowResponseMs: 20 });
    const token = await accessToken(sim);

    const seen = await statuses(sim, token, 5);
    const tokenAgain = await formToken(sim);

    expect(seen).toEqual(['429', '503', 'reset', '200', '429']);
    expect(tokenAgain.status).toBe(200);
    expect(sim.stats().faults).toEqual({ '429': 2, '503': 1, reset: 1, slow: 1 });
  });

  it('sends Retry-After with a fault 429 and a gateway page with a fault 503', async () => {
    const sim = simulator({ faultRate: 1 });
    const token = await accessToken(sim);

    const tooMany = await call(sim, '/users?limit=1', { token });
    const unavailable = await call(sim, '/users?limit=1', { token });

    expect(tooMany.headers.get('retry-after')).toBe('1');
    expect(unavailable.headers.get('content-type')).toContain('text/html');
    expect(await unavailable.text()).toContain('503');
  });

  it('fails the same requests for the same seed', async () => {
    const run = async (seed: number) => {
      const sim = simulator({ seed, faultRate: 0.3, slowResponseMs: 1 });
      return statuses(sim, await accessToken(sim), 40);
    };

    const first = await run(7);
    const second = await run(7);
    const other = await run(8);

    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first.filter((status) => status !== '200').length).toBeGreaterThan(3);
  });

  it('ends a slow answer as a reset when the simulator closes', async () => {
    const sim = simulator({ faultRate: 1, slowResponseMs: 30_000 });
    const token = await accessToken(sim);
    await statuses(sim, token, 3);
    const started = performance.now();

    const slow = call(sim, '/users?limit=1', { token });
    setTimeout(() => sim.close(), 20);
    const response = await slow;

    expect(isResetConnection(response)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('counts requests per method and route template, not counting /_sim', async () => {
    const sim = simulator({ faultRate: 0 });
    const token = await accessToken(sim);
    await call(sim, '/users?limit=0', { token });
    await call(sim, '/users?limit=0', { token });
    await call(sim, '/users/a%40b', { token });
    await call(sim, '/users/c', { token, method: 'DELETE' });
    await call(sim, '/nothing/here', { token });

    const response = await sim.handle(new Request(`${ROOT}/_sim/stats`));
    const stats = (await response.json()) as Record<string, unknown>;

    expect(stats).toMatchObject({
      requests: {
        'POST /token': 1,
        'GET /users': 2,
        'GET /users/{username}': 1,
        'DELETE /users/{username}': 1,
        'GET /{unknown}': 1,
      },
      tokensIssued: 1,
      maxInFlight: 1,
    });
  });

  it('never fails /_sim requests, even at a fault rate of 1', async () => {
    const sim = simulator({ faultRate: 1 });

    const responses = await Promise.all(
      [0, 1, 2, 3].map(() => sim.handle(new Request(`${ROOT}/_sim/stats`))),
    );

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
  });

  it('serves the state in the --data format, including writes, and loads it back', async () => {
    const sim = simulator({ users: 30 });
    const token = await accessToken(sim);
    await call(sim, '/users', {
      token,
      method: 'POST',
      body: { username: 'staat@zorg.nl', active: true, roles: [] },
    });

    const response = await sim.handle(new Request(`${ROOT}/_sim/state`));
    const state = parseTenantData(await response.json());
    const reloaded = createSimulator({ data: state });

    expect(response.status).toBe(200);
    expect(state.users.some((user) => user.username === 'staat@zorg.nl')).toBe(true);
    expect(Object.keys(state.rosters).length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(reloaded.state()))).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it('answers 404 for paths without /api/ and unknown /_sim paths', async () => {
    const sim = simulator();

    const noApi = await sim.handle(new Request(`${BASE}/users`));
    const unknownSim = await read(await sim.handle(new Request(`${ROOT}/_sim/nothing`)));

    expect(noApi.status).toBe(404);
    expect(unknownSim.status).toBe(404);
  });
});
