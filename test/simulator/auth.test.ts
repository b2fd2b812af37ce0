import { describe, expect, it } from 'vitest';
import {
  ADMIN_BASE,
  BASE,
  accessToken,
  basicToken,
  call,
  formToken,
  read,
  simulator,
} from './support.js';

describe('simulator tokens', () => {
  it('grants a bearer token for form credentials at {base}/api/token', async () => {
    const sim = simulator({ tokenTtl: 900 });

    const { status, body } = await read<Record<string, unknown>>(await formToken(sim));

    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 900,
    });
    expect(sim.stats().tokensIssued).toBe(1);
  });

  it('grants a token for Basic credentials at the admin base URL, good on both forms', async () => {
    const sim = simulator();

    const { status, body } = await read<{ access_token: string }>(await basicToken(sim));
    const viaAdmin = await call(sim, '/users?limit=0', {
      token: body.access_token,
      base: ADMIN_BASE,
    });
    const viaService = await call(sim, '/users?limit=0', { token: body.access_token });

    expect(status).toBe(200);
    expect(viaAdmin.status).toBe(200);
    expect(viaService.status).toBe(200);
  });

  it('answers invalid_client for a wrong secret in either placement', async () => {
    const sim = simulator();

    const form = await read(await formToken(sim, 'wrong'));
    const basic = await read(await basicToken(sim, 'wrong'));

    expect(form).toEqual({
      status: 401,
      body: expect.objectContaining({ error: 'invalid_client' }),
    });
    expect(basic).toEqual({
      status: 401,
      body: expect.objectContaining({ error: 'invalid_client' }),
    });
    expect(sim.stats().tokensIssued).toBe(0);
  });

  it('refuses a token request without grant_type=client_credentials', async () => {
    const sim = simulator();
    const body = new URLSearchParams({ client_id: sim.credentials.clientId, client_secret: 'x' });

    const response = await sim.handle(new Request(`${BASE}/api/token`, { method: 'POST', body }));

    expect(await read(response)).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'unsupported_grant_type' }),
    });
  });

  it('invalidates the older token when the same client gets a new one', async () => {
    const sim = simulator();
    const first = await accessToken(sim);
    const second = await accessToken(sim);

    const old = await read(await call(sim, '/users?limit=0', { token: first }));
    const current = await call(sim, '/users?limit=0', { token: second });

    expect(old).toEqual({ status: 401, body: expect.objectContaining({ error: 'invalid_token' }) });
    expect(current.status).toBe(200);
    expect(sim.stats().tokensIssued).toBe(2);
  });

  it('answers token_expired once the lifetime has passed', async () => {
    let now = 1_000_000;
    const sim = simulator({ tokenTtl: 2, now: () => now });
    const token = await accessToken(sim);

    now += 1_999;
    const before = await call(sim, '/users?limit=0', { token });
    now += 1;
    const after = await read(await call(sim, '/users?limit=0', { token }));

    expect(before.status).toBe(200);
    expect(after).toEqual({
      status: 401,
      body: expect.objectContaining({ error: 'token_expired' }),
    });
  });

  it('answers invalid_token without a bearer token or with an unknown one', async () => {
    const sim = simulator();

    const missing = await sim.handle(new Request(`${BASE}/api/users?limit=0`));
    const unknown = await call(sim, '/users?limit=0', { token: 'made-up' });

    expect(await read(missing)).toEqual({
      status: 401,
      body: expect.objectContaining({ error: 'invalid_token' }),
    });
    expect((await read(unknown)).status).toBe(401);
  });
});
