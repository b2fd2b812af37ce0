import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitedError, TransientError } from '../../src/errors.js';
import { createClient } from '../../src/inplanning/client.js';
import { parseRetryAfter } from '../../src/inplanning/http.js';
import { recordRequests } from '../helpers/msw.js';
import { failureOf, ROOT, testSettings, tokenEndpoint, user } from './fixtures.js';

const server = setupServer();
const sent = recordRequests(server);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  sent.clear();
  server.use(tokenEndpoint().handler);
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function dataRequests() {
  return (await sent.all()).filter((request) => !request.url.endsWith('/token'));
}

/** Answers the first `failures` requests with `failure`, then with `success`. */
function failingFirst(failures: number, failure: () => Response, success: () => Response) {
  let calls = 0;
  return () => {
    calls += 1;
    return calls <= failures ? failure() : success();
  };
}

const tooMany = (retryAfter: string) =>
  HttpResponse.json(
    { message: 'slow down' },
    { status: 429, headers: { 'Retry-After': retryAfter } },
  );

describe('Retry-After', () => {
  it('waits as long as a 429 asks before retrying', async () => {
    server.use(
      http.get(
        `${ROOT}/users`,
        failingFirst(
          1,
          () => tooMany('1'),
          () => HttpResponse.json([]),
        ),
      ),
    );

    await createClient(testSettings()).listUsers();

    const [first, second] = await dataRequests();
    const waited = second!.at - first!.at;
    // Without Retry-After the first backoff is 100-200 ms.
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(2_500);
  });

  it('is read from seconds and from an HTTP date, and capped', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const inFive = new Date(Date.now() + 5_000).toUTCString();
    expect(parseRetryAfter(inFive)).toBeGreaterThan(3_000);
    expect(parseRetryAfter(inFive)).toBeLessThanOrEqual(5_000);
    expect(parseRetryAfter('86400')).toBe(30_000);
  });
});

describe('the deadline', () => {
  it('stops retrying when DeadlineSeconds have passed, whatever MaxRetries allows', async () => {
    server.use(
      http.get(`${ROOT}/users`, () =>
        HttpResponse.text('busy', { status: 503, headers: { 'Retry-After': '0.3' } }),
      ),
    );
    const started = Date.now();

    const error = await failureOf(
      createClient(testSettings({ DeadlineSeconds: 1, MaxRetries: 20 })).listUsers(),
    );

    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TransientError);
    // Twenty retries 300 ms apart would take over 6 s.
    expect(elapsed).toBeLessThan(2_500);
    const attempts = (await dataRequests()).length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(4);
  });

  it('gives up at once when Retry-After reaches beyond the deadline', async () => {
    server.use(http.get(`${ROOT}/users`, () => tooMany('5')));
    const started = Date.now();

    const error = await failureOf(createClient(testSettings({ DeadlineSeconds: 2 })).listUsers());

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(await dataRequests()).toHaveLength(1);
  });

  it('covers a call as a whole, including the retry after a refused token', async () => {
    let tokens = 0;
    server.use(
      http.post(`${ROOT}/token`, () => {
        tokens += 1;
        return HttpResponse.json({ access_token: `tok-${tokens}`, expires_in: 3600 });
      }),
      http.get(`${ROOT}/users`, async ({ request }) => {
        if (request.headers.get('authorization') === 'Bearer tok-1') {
          await new Promise((resolve) => setTimeout(resolve, 1_800));
          return HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
        }
        return HttpResponse.text('busy', { status: 503, headers: { 'Retry-After': '0.2' } });
      }),
    );
    const started = Date.now();

    const error = await failureOf(
      createClient(
        testSettings({ DeadlineSeconds: 2, MaxRetries: 20, RequestTimeoutSeconds: 5 }),
      ).listUsers(),
    );

    // A fresh deadline for the repeat would have run to about 3.8 s.
    expect(error).toBeInstanceOf(TransientError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('the per-request timeout', () => {
  it('abandons a request that takes longer than RequestTimeoutSeconds', async () => {
    server.use(
      http.get(`${ROOT}/users`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        return HttpResponse.json([]);
      }),
    );
    const started = Date.now();

    const error = await failureOf(
      createClient(testSettings({ RequestTimeoutSeconds: 1, MaxRetries: 0 })).listUsers(),
    );

    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TransientError);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3_500);
    expect(await dataRequests()).toHaveLength(1);
  });

  it('retries a read that timed out', async () => {
    let calls = 0;
    server.use(
      http.get(`${ROOT}/users`, async () => {
        calls += 1;
        if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 2_000));
        return HttpResponse.json([user('a')]);
      }),
    );

    const users = await createClient(testSettings({ RequestTimeoutSeconds: 1 })).listUsers();

    expect(users).toHaveLength(1);
    expect(await dataRequests()).toHaveLength(2);
  });
});

describe('writes', () => {
  it('does not repeat a POST after a 503, which may have been applied', async () => {
    server.use(http.post(`${ROOT}/users`, () => HttpResponse.text('busy', { status: 503 })));

    const error = await failureOf(createClient(testSettings()).createUser(user('a')));

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain('1 attempt(s)');
    expect(await dataRequests()).toHaveLength(1);
  });

  it('does not repeat a POST after a reset connection', async () => {
    server.use(http.post(`${ROOT}/users`, () => HttpResponse.error()));

    expect(await failureOf(createClient(testSettings()).createUser(user('a')))).toBeInstanceOf(
      TransientError,
    );
    expect(await dataRequests()).toHaveLength(1);
  });

  it('repeats a POST refused with 429, which was not applied', async () => {
    server.use(
      http.post(
        `${ROOT}/users`,
        failingFirst(
          1,
          () => tooMany('0'),
          () => HttpResponse.json(user('a'), { status: 201 }),
        ),
      ),
    );

    expect((await createClient(testSettings()).createUser(user('a'))).username).toBe('a');
    const posts = await dataRequests();
    expect(posts).toHaveLength(2);
    expect(posts.map((post) => JSON.parse(post.body))).toEqual([user('a'), user('a')]);
  });

  it('repeats a PUT after a 503, since replacing twice is harmless', async () => {
    server.use(
      http.put(
        `${ROOT}/users`,
        failingFirst(
          1,
          () => HttpResponse.text('busy', { status: 503, headers: { 'Retry-After': '0' } }),
          () => HttpResponse.json(user('a')),
        ),
      ),
    );

    await createClient(testSettings()).replaceUser(user('a'));

    expect(await dataRequests()).toHaveLength(2);
  });
});
