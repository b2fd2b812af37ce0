import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../src/errors.js';
import { createClient } from '../../src/inplanning/client.js';
import { fileKey, readJsonFile, writeJsonFile } from '../../src/inplanning/state-files.js';
import { recordRequests } from '../helpers/msw.js';
import { CLIENT_ID, failureOf, ROOT, testSettings, tokenEndpoint, user } from './fixtures.js';

const server = setupServer();
const sent = recordRequests(server);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => sent.clear());
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** The token cache file the client uses for `stateDir` (one per base URL and client id). */
function cacheFile(stateDir: string): string {
  return path.join(stateDir, 'tokens', `${fileKey(ROOT, CLIENT_ID)}.json`);
}

/** Which token each request carried, or `token` for a token request. */
async function sequence(): Promise<string[]> {
  return (await sent.all()).map((request) =>
    request.url.endsWith('/token')
      ? 'token'
      : `${request.method} ${request.headers.get('authorization')}`,
  );
}

/** A /users endpoint accepting only the tokens in `valid`, refusing others with `refusal`. */
function usersAccepting(valid: Set<string>, refusal: { status: number; error: string }) {
  return http.get(`${ROOT}/users`, ({ request }) => {
    const token = request.headers.get('authorization')?.replace('Bearer ', '') ?? '';
    if (valid.has(token)) return HttpResponse.json([user('a')]);
    return HttpResponse.json(
      { error: refusal.error, error_description: 'The access token is invalid' },
      { status: refusal.status },
    );
  });
}

describe('a refused token', () => {
  it.each([
    { status: 401, error: 'invalid_token' },
    { status: 401, error: 'token_expired' },
    { status: 400, error: 'invalid_token' },
  ])('is refreshed once after $status $error, then the call is repeated', async (refusal) => {
    const tokens = tokenEndpoint();
    server.use(tokens.handler, usersAccepting(new Set(['tok-2']), refusal));

    const users = await createClient(testSettings()).listUsers();

    expect(users).toHaveLength(1);
    expect(await sequence()).toEqual(['token', 'GET Bearer tok-1', 'token', 'GET Bearer tok-2']);
  });

  it('is replaced by a newer token another process cached, without a refresh', async () => {
    const settings = testSettings();
    const tokens = tokenEndpoint();
    server.use(
      tokens.handler,
      http.get(`${ROOT}/users`, async ({ request }) => {
        if (request.headers.get('authorization') === 'Bearer from-other-process') {
          return HttpResponse.json([user('a')]);
        }
        // Another process refreshed meanwhile: its token is in the cache, ours is dead.
        const now = Date.now();
        await writeJsonFile(cacheFile(settings.StateDir), {
          token: 'from-other-process',
          issuedAt: now,
          expiresAt: now + 3_600_000,
        });
        return HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
      }),
    );

    await createClient(settings).listUsers();

    expect(tokens.issued()).toBe(1);
    expect(await sequence()).toEqual([
      'token',
      'GET Bearer tok-1',
      'GET Bearer from-other-process',
    ]);
  });

  it('is refreshed only once: a second refusal is an authentication error', async () => {
    const tokens = tokenEndpoint();
    server.use(tokens.handler, usersAccepting(new Set(), { status: 401, error: 'invalid_token' }));

    const error = await failureOf(createClient(testSettings()).listUsers());

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(await sequence()).toEqual(['token', 'GET Bearer tok-1', 'token', 'GET Bearer tok-2']);
  });

  it('is refreshed once for all the calls of a process that it failed', async () => {
    const tokens = tokenEndpoint();
    server.use(
      tokens.handler,
      usersAccepting(new Set(['tok-2']), { status: 401, error: 'invalid_token' }),
    );
    const client = createClient(testSettings());
    await client.listUsers();
    sent.clear();

    // tok-2 is now the one in use; the server starts accepting only tok-3.
    server.use(
      tokens.handler,
      usersAccepting(new Set(['tok-3']), { status: 401, error: 'invalid_token' }),
    );
    const results = await Promise.all(Array.from({ length: 6 }, () => client.listUsers()));

    expect(results.every((users) => users.length === 1)).toBe(true);
    expect(tokens.issued()).toBe(3);
    const steps = await sequence();
    expect(steps.filter((step) => step === 'token')).toHaveLength(1);
    expect(steps.filter((step) => step === 'GET Bearer tok-3')).toHaveLength(6);
  });

  it('leaves the refreshed token in the cache for other processes', async () => {
    const settings = testSettings();
    server.use(
      tokenEndpoint().handler,
      usersAccepting(new Set(['tok-2']), { status: 401, error: 'invalid_token' }),
    );

    await createClient(settings).listUsers();

    expect(await readJsonFile(cacheFile(settings.StateDir))).toMatchObject({ token: 'tok-2' });
  });
});

describe('a call that outlives more than one token', () => {
  /** Refuses every token but `accepted`; each refusal leaves the next token in the cache. */
  function refusingUntil(stateDir: string, chain: string[], accepted: string) {
    return http.get(`${ROOT}/users`, async ({ request }) => {
      const token = request.headers.get('authorization')?.replace('Bearer ', '') ?? '';
      if (token === accepted) return HttpResponse.json([user('a')]);
      const at = chain.indexOf(token);
      const next = at >= 0 ? chain[at + 1] : undefined;
      if (next) {
        const now = Date.now();
        await writeJsonFile(cacheFile(stateDir), {
          token: next,
          issuedAt: now,
          expiresAt: now + 3_600_000,
        });
      }
      return HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
    });
  }

  it('follows each newer token other processes cache, without refreshing', async () => {
    const settings = testSettings();
    const tokens = tokenEndpoint();
    const chain = ['tok-1', 'other-1', 'other-2'];
    server.use(tokens.handler, refusingUntil(settings.StateDir, chain, 'other-2'));

    await createClient(settings).listUsers();

    expect(tokens.issued()).toBe(1);
    expect(await sequence()).toEqual([
      'token',
      'GET Bearer tok-1',
      'GET Bearer other-1',
      'GET Bearer other-2',
    ]);
  });

  it('still follows a newer cached token after its own refresh', async () => {
    const settings = testSettings();
    const tokens = tokenEndpoint();
    server.use(tokens.handler, refusingUntil(settings.StateDir, ['tok-2', 'other'], 'other'));

    await createClient(settings).listUsers();

    expect(await sequence()).toEqual([
      'token',
      'GET Bearer tok-1',
      'token',
      'GET Bearer tok-2',
      'GET Bearer other',
    ]);
  });

  it('gives up after a bounded number of refusals', async () => {
    const settings = testSettings();
    const chain = ['tok-1', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
    server.use(tokenEndpoint().handler, refusingUntil(settings.StateDir, chain, 'never'));

    const error = await failureOf(createClient(settings).listUsers());

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(await sequence()).toEqual([
      'token',
      'GET Bearer tok-1',
      'GET Bearer n1',
      'GET Bearer n2',
      'GET Bearer n3',
      'GET Bearer n4',
    ]);
  });
});

describe('a token near its expiry', () => {
  it('is refreshed before it is used, not after it was refused', async () => {
    // expires_in of 1 s: the client refreshes within the last tenth of it.
    const tokens = tokenEndpoint(`${ROOT}/token`, 1);
    server.use(
      tokens.handler,
      http.get(`${ROOT}/users`, () => HttpResponse.json([])),
    );
    const client = createClient(testSettings());

    await client.listUsers();
    await new Promise((resolve) => setTimeout(resolve, 950));
    await client.listUsers();

    expect(await sequence()).toEqual(['token', 'GET Bearer tok-1', 'token', 'GET Bearer tok-2']);
  });
});
