import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  InvalidResponseError,
  NotFoundError,
  NotSupportedError,
  RateLimitedError,
  RejectedError,
  TransientError,
} from '../../src/errors.js';
import { createClient } from '../../src/inplanning/client.js';
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

/** The data requests sent (the token request left out). */
async function dataRequests() {
  return (await sent.all()).filter((request) => !request.url.endsWith('/token'));
}

const NOT_FOUND = '211 - resource: The item you\u2019re trying to edit does not exist.';

describe('not found', () => {
  it.each([400, 404, 500])(
    'is read from code 211 under HTTP %i, without retrying',
    async (status) => {
      server.use(
        http.get(`${ROOT}/users/*`, () => HttpResponse.json({ message: NOT_FOUND }, { status })),
      );
      const client = createClient(testSettings());

      const error = await failureOf(client.getUser('ghost'));

      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).request).toMatchObject({ method: 'GET', status });
      expect(await client.findUser('ghost')).toBeUndefined();
      expect(await dataRequests()).toHaveLength(2);
    },
  );

  it('is read from 211 under a retryable status too, without retrying', async () => {
    server.use(
      http.get(`${ROOT}/users/*`, () => HttpResponse.json({ message: NOT_FOUND }, { status: 503 })),
    );

    const error = await failureOf(createClient(testSettings()).getUser('ghost'));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(await dataRequests()).toHaveLength(1);
  });

  it('is read from 211 in a plain-text body and in other message fields', async () => {
    server.use(
      http.get(`${ROOT}/users/text`, () => HttpResponse.text('211 - gone', { status: 400 })),
      http.get(`${ROOT}/users/Message`, () =>
        HttpResponse.json({ Message: 'Error 211: no such user' }, { status: 400 }),
      ),
    );
    const client = createClient(testSettings());

    expect(await failureOf(client.getUser('text'))).toBeInstanceOf(NotFoundError);
    expect(await failureOf(client.getUser('Message'))).toBeInstanceOf(NotFoundError);
  });

  it('is never guessed from the wording or from a number that merely contains 211', async () => {
    server.use(
      http.get(`${ROOT}/users/sentence`, () =>
        HttpResponse.json(
          { message: 'The item you\u2019re trying to edit does not exist.' },
          { status: 400 },
        ),
      ),
      http.get(`${ROOT}/users/number`, () =>
        HttpResponse.json({ message: 'Error 12110: invalid resource' }, { status: 400 }),
      ),
    );
    const client = createClient(testSettings());

    expect(await failureOf(client.getUser('sentence'))).toBeInstanceOf(RejectedError);
    expect(await failureOf(client.getUser('number'))).toBeInstanceOf(RejectedError);
  });
});

describe('authentication', () => {
  it('fails on invalid_client from the token endpoint, without retrying', async () => {
    server.use(
      http.post(`${ROOT}/token`, () =>
        HttpResponse.json({ error: 'invalid_client', error_description: 'bad' }, { status: 400 }),
      ),
    );

    const error = await failureOf(createClient(testSettings()).listUsers());

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain('invalid_client');
    const all = await sent.all();
    expect(all.map((request) => request.url)).toEqual([`${ROOT}/token`]);
  });

  it('fails on a 401 from the token endpoint', async () => {
    server.use(http.post(`${ROOT}/token`, () => new HttpResponse(null, { status: 401 })));

    expect(await failureOf(createClient(testSettings()).listUsers())).toBeInstanceOf(
      AuthenticationError,
    );
  });

  it('fails on 403 from a resource', async () => {
    server.use(
      http.get(`${ROOT}/users`, () => HttpResponse.json({ message: 'no' }, { status: 403 })),
    );

    expect(await failureOf(createClient(testSettings()).listUsers())).toBeInstanceOf(
      AuthenticationError,
    );
  });

  it('treats a token endpoint that is down as transient, not as bad credentials', async () => {
    server.use(http.post(`${ROOT}/token`, () => HttpResponse.text('oops', { status: 500 })));

    expect(await failureOf(createClient(testSettings()).listUsers())).toBeInstanceOf(
      TransientError,
    );
  });

  it('refuses a token answer without a token', async () => {
    server.use(http.post(`${ROOT}/token`, () => HttpResponse.json({ token_type: 'bearer' })));

    expect(await failureOf(createClient(testSettings()).listUsers())).toBeInstanceOf(
      InvalidResponseError,
    );
  });
});

describe('rate limiting and transient failures', () => {
  it('gives RateLimitedError after MaxRetries retries of 429', async () => {
    server.use(
      http.get(`${ROOT}/users`, () =>
        HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '0' } }),
      ),
    );

    const error = await failureOf(createClient(testSettings({ MaxRetries: 2 })).listUsers());

    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as Error).message).toContain('3 attempt(s)');
    expect(await dataRequests()).toHaveLength(3);
  });

  it.each([502, 503, 504])(
    'gives TransientError after MaxRetries retries of %i',
    async (status) => {
      server.use(
        http.get(`${ROOT}/users`, () =>
          HttpResponse.text('gateway', { status, headers: { 'Retry-After': '0' } }),
        ),
      );

      const error = await failureOf(createClient(testSettings({ MaxRetries: 1 })).listUsers());

      expect(error).toBeInstanceOf(TransientError);
      expect((error as TransientError).request?.status).toBe(status);
      expect(await dataRequests()).toHaveLength(2);
    },
  );

  it('gives TransientError after repeated network failures', async () => {
    server.use(http.get(`${ROOT}/users`, () => HttpResponse.error()));

    const error = await failureOf(createClient(testSettings({ MaxRetries: 1 })).listUsers());

    expect(error).toBeInstanceOf(TransientError);
    expect(await dataRequests()).toHaveLength(2);
  });

  it('recovers when a retry succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${ROOT}/users`, () => {
        calls += 1;
        if (calls === 1) return HttpResponse.error();
        if (calls === 2) return HttpResponse.text('busy', { status: 503 });
        return HttpResponse.json([user('a')]);
      }),
    );

    const users = await createClient(testSettings({ MaxRetries: 2 })).listUsers();

    expect(users).toHaveLength(1);
    expect(await dataRequests()).toHaveLength(3);
  });
});

describe('rejected', () => {
  it.each([400, 409, 422])(
    'gives RejectedError with InPlanning’s message for %i',
    async (status) => {
      server.use(
        http.post(`${ROOT}/users`, () =>
          HttpResponse.json({ message: 'Username already exists' }, { status }),
        ),
      );

      const error = await failureOf(createClient(testSettings()).createUser(user('dup')));

      expect(error).toBeInstanceOf(RejectedError);
      expect((error as Error).message).toContain('Username already exists');
      expect((error as Error).message).toContain(String(status));
      expect(await dataRequests()).toHaveLength(1);
    },
  );

  it('is not mistaken for a token error when the body has another error field', async () => {
    server.use(
      http.put(`${ROOT}/users`, () =>
        HttpResponse.json({ error: 'Bad Request', message: 'unknown role' }, { status: 400 }),
      ),
    );

    const error = await failureOf(createClient(testSettings()).replaceUser(user('a')));

    expect(error).toBeInstanceOf(RejectedError);
    expect((error as Error).message).toContain('unknown role');
  });
});

describe('invalid responses', () => {
  it.each([
    ['a user without username', [{ firstName: 'x' }]],
    ['active that is neither boolean nor True/False', [{ username: 'a', active: 'yes' }]],
    ['an object instead of a list', { users: [] }],
    ['an HTML page', '<html>maintenance</html>'],
  ])('gives InvalidResponseError for %s', async (_name, body) => {
    server.use(
      http.get(`${ROOT}/users`, () =>
        typeof body === 'string' ? HttpResponse.text(body) : HttpResponse.json(body),
      ),
    );

    const error = await failureOf(createClient(testSettings()).listUsers());

    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).code).toBe('INVALID_RESPONSE');
  });
});

describe('delete', () => {
  it.each([404, 405])('reports NotSupported for HTTP %i', async (status) => {
    server.use(http.delete(`${ROOT}/users/*`, () => new HttpResponse(null, { status })));

    const error = await failureOf(createClient(testSettings()).deleteUser('a b@c'));

    expect(error).toBeInstanceOf(NotSupportedError);
    const [request] = await dataRequests();
    expect([request!.method, request!.url]).toEqual(['DELETE', `${ROOT}/users/a%20b%40c`]);
  });

  it('reports NotFound when the 404 carries code 211', async () => {
    server.use(
      http.delete(`${ROOT}/users/*`, () =>
        HttpResponse.json({ message: NOT_FOUND }, { status: 404 }),
      ),
    );

    expect(await failureOf(createClient(testSettings()).deleteUser('a'))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it('succeeds on 200 or 204', async () => {
    server.use(http.delete(`${ROOT}/users/*`, () => new HttpResponse(null, { status: 204 })));

    await expect(createClient(testSettings()).deleteUser('a')).resolves.toBeUndefined();
  });
});
