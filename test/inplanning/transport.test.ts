// Against a real server on 127.0.0.1: a connection reset by the peer (ECONNRESET) is a
// socket-level event that msw cannot produce.
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors.js';
import { createClient } from '../../src/inplanning/client.js';
import { type FakeServer, startFakeServer } from '../helpers/fake-server.js';
import { failureOf, testSettings, user } from './fixtures.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const token = { status: 200, json: { access_token: 'tok', expires_in: 3600 } };

describe('a reset connection', () => {
  it('is retried for a read', async () => {
    let users = 0;
    server = await startFakeServer((request) => {
      if (request.url === '/api/token') return token;
      users += 1;
      return users === 1 ? 'reset' : { status: 200, json: [user('a')] };
    });
    const client = createClient(testSettings({ BaseUrl: server.origin }));

    expect(await client.listUsers()).toHaveLength(1);
    expect(server.requests.map((request) => request.url)).toEqual([
      '/api/token',
      '/api/users?limit=0',
      '/api/users?limit=0',
    ]);
  });

  it('is not retried for a POST, which may have arrived', async () => {
    server = await startFakeServer((request) => (request.url === '/api/token' ? token : 'reset'));
    const client = createClient(testSettings({ BaseUrl: server.origin }));

    const error = await failureOf(client.createUser(user('a')));

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain('ECONNRESET');
    expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    expect(server.requests.filter((request) => request.url === '/api/users')).toHaveLength(1);
  });

  it('gives TransientError after MaxRetries when it keeps happening', async () => {
    server = await startFakeServer((request) => (request.url === '/api/token' ? token : 'reset'));
    const client = createClient(testSettings({ BaseUrl: server.origin, MaxRetries: 1 }));

    expect(await failureOf(client.listUsers())).toBeInstanceOf(TransientError);
    expect(server.requests.filter((request) => request.url.startsWith('/api/users'))).toHaveLength(
      2,
    );
  });
});

describe('a refused connection', () => {
  it('is retried and then reported as transient', async () => {
    const closed = await startFakeServer();
    const origin = closed.origin;
    await closed.close();
    const client = createClient(testSettings({ BaseUrl: origin, MaxRetries: 1 }));

    const error = await failureOf(client.listUsers());

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).toContain('2 attempt(s)');
  });
});
