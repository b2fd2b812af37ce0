import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { simulatorHandlers } from '../../src/simulator/msw.js';
import { ADMIN_BASE, BASE, SECRET, simulator } from './support.js';

const sim = simulator({ users: 40 });
const server = setupServer(...simulatorHandlers(sim, BASE));
const sent: string[] = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => {
  server.close();
  sim.close();
});
server.events.on('request:start', ({ request }) => {
  sent.push(`${request.method} ${new URL(request.url).pathname}`);
});

async function token(): Promise<string> {
  const response = await fetch(`${ADMIN_BASE}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`${sim.credentials.clientId}:${SECRET}`)}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('simulator behind msw', () => {
  it('answers fetch calls on both base URL forms and /_sim', async () => {
    sent.length = 0;
    const bearer = { authorization: `Bearer ${await token()}` };

    const users = await fetch(`${BASE}/api/users?limit=0`, { headers: bearer });
    const missing = await fetch(`${ADMIN_BASE}/users/niemand%40zorg.nl`, { headers: bearer });
    const stats = await fetch(`${new URL(BASE).origin}/_sim/stats`);

    expect(users.status).toBe(200);
    expect(((await users.json()) as unknown[]).length).toBe(sim.tenant.userCount);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/^211 - /);
    expect(((await stats.json()) as { tokensIssued: number }).tokensIssued).toBe(1);
    expect(sent).toEqual([
      'POST /InPlanningServiceAdmin/rest/api/token',
      'GET /InPlanningService/rest/api/users',
      'GET /InPlanningServiceAdmin/rest/api/users/niemand%40zorg.nl',
      'GET /_sim/stats',
    ]);
  });

  it('turns a reset fault into a network error', async () => {
    const faulty = simulator({ faultRate: 1 });
    server.use(...simulatorHandlers(faulty, BASE));
    const grant = await fetch(`${BASE}/api/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: faulty.credentials.clientId,
        client_secret: SECRET,
        grant_type: 'client_credentials',
      }),
    });
    const bearer = {
      authorization: `Bearer ${((await grant.json()) as { access_token: string }).access_token}`,
    };

    const first = await fetch(`${BASE}/api/users?limit=1`, { headers: bearer });
    const second = await fetch(`${BASE}/api/users?limit=1`, { headers: bearer });
    const third = fetch(`${BASE}/api/users?limit=1`, { headers: bearer });

    expect([first.status, second.status]).toEqual([429, 503]);
    await expect(third).rejects.toThrow(TypeError);
    faulty.close();
  });
});
