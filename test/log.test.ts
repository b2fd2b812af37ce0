import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, requireConnection } from '../src/config.js';
import { parseInvocation } from '../src/context.js';
import { TransientError } from '../src/errors.js';
import { createClient } from '../src/inplanning/client.js';
import { addLogScope, log, redact, registerSecret, setLogLevel, withLogScope } from '../src/log.js';
import { captureOutput, type Captured } from './helpers/log-capture.js';

// Characters that change under URL and form encoding, so encoded copies are checked too.
const SECRET = 'Cl1ent+Secret/with=odd&chars';
const PASSWORD = 'P@ssw0rd value';
const TOKEN = 'tok-9f8e7d6c5b4a39281706';
const CLIENT_ID = 'helloid-client';

/** Every form in which a secret could leak. */
function leakForms(): string[] {
  const basic = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
  const forms = [SECRET, PASSWORD, TOKEN, basic];
  for (const value of [SECRET, PASSWORD]) {
    forms.push(encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2));
  }
  return forms;
}

function expectNoLeak(captured: Captured): void {
  const everything = captured.stdout() + captured.stderr();
  for (const form of leakForms()) expect(everything).not.toContain(form);
}

let captured: Captured;
beforeEach(() => {
  setLogLevel('debug');
  captured = captureOutput();
});
afterEach(() => captured.restore());

describe('redact', () => {
  it('hides secret keys at any depth, in objects and arrays', () => {
    const value = {
      ClientSecret: 'a',
      nested: {
        list: [{ password: 'b' }, { deeper: { headers: { Authorization: 'Bearer c' } } }],
        access_token: 'd',
        Cookie: 'e',
      },
      kept: 'visible',
    };
    expect(redact(value)).toEqual({
      ClientSecret: '[redacted]',
      nested: {
        list: [
          { password: '[redacted]' },
          { deeper: { headers: { Authorization: '[redacted]' } } },
        ],
        access_token: '[redacted]',
        Cookie: '[redacted]',
      },
      kept: 'visible',
    });
  });

  it('scrubs registered values and credentials from free text', () => {
    registerSecret('registered-value-123');
    const text = 'sent registered-value-123 with Authorization: Bearer abcdefgh12345678';
    expect(redact(text)).toBe('sent [redacted] with Authorization: Bearer [redacted]');
    expect(redact('Basic dXNlcjpwYXNzd29yZA==')).toBe('Basic [redacted]');
  });

  it('scrubs the URL- and form-encoded copies of a registered value', () => {
    registerSecret('a b/c+d');
    expect(redact('client_secret=a+b%2Fc%2Bd&x=1')).toBe('client_secret=[redacted]&x=1');
    expect(redact('/users/a%20b%2Fc%2Bd')).toBe('/users/[redacted]');
  });

  it('turns errors into plain objects, following the cause', () => {
    registerSecret('inner-secret-value');
    const error = new Error('outer', { cause: new Error('failed with inner-secret-value') });
    expect(redact(error)).toEqual({
      type: 'Error',
      message: 'outer',
      cause: { type: 'Error', message: 'failed with [redacted]' },
    });
  });

  it('survives cycles and very deep values', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    expect(redact(cycle)).toEqual({ name: 'loop', self: '[…]' });
    let deep: Record<string, unknown> = { password: 'deep-secret' };
    for (let i = 0; i < 30; i += 1) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).not.toContain('deep-secret');
  });
});

describe('log', () => {
  it('writes JSON lines to stderr with the command and the account', () => {
    withLogScope({ command: 'target create' }, () => {
      log().info('before the account is known');
      addLogScope({ account: 'j.jansen' });
      log().info({ requests: 2 }, 'after');
    });
    expect(captured.stdout()).toBe('');
    const [first, second] = captured.lines();
    expect(first).toMatchObject({ level: 'info', command: 'target create' });
    expect(first).not.toHaveProperty('account');
    expect(second).toMatchObject({ command: 'target create', account: 'j.jansen', requests: 2 });
  });

  it('keeps the type, code and causes of a logged error', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = new TransientError('InPlanning did not answer', undefined, { cause });
    log().warn({ err: error }, 'failed');
    expect(captured.lines()[0]!.err).toEqual({
      type: 'TransientError',
      message: 'InPlanning did not answer',
      code: 'TRANSIENT',
      cause: { type: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
    });
  });

  it('writes debug lines only at debug level', () => {
    setLogLevel('info');
    log().debug('hidden');
    setLogLevel('debug');
    log().debug('shown');
    expect(captured.lines().map((line) => line.msg)).toEqual(['shown']);
  });
});

describe('no secret reaches stdout or stderr at debug level', () => {
  const server = setupServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-log-test-'));
  const base = 'https://tenant.test.rooster.nl/InPlanningService/rest';
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  function settings(overrides: Record<string, unknown> = {}) {
    return requireConnection(
      loadSettings({
        fromContext: {
          BaseUrl: base,
          ClientId: CLIENT_ID,
          ClientSecret: SECRET,
          MaxRetries: 1,
          RequestTimeoutSeconds: 1,
          StateDir: mkdtempSync(path.join(dir, 'state-')),
          ...overrides,
        },
        env: {},
      }),
    );
  }

  it('while loading settings, also from a malformed file', () => {
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ Password: PASSWORD }));
    const loaded = loadSettings({
      fromContext: { ClientSecret: SECRET, BaseUrl: base },
      configFile: file,
      env: { INPLANNING_CLIENT_SECRET: SECRET },
    });
    log().debug({ settings: loaded, sources: { fromContext: { ClientSecret: SECRET } } }, 'x');

    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, `{"ClientSecret": ${SECRET}}`);
    let failure: unknown;
    try {
      loadSettings({ configFile: broken, env: {} });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    log().debug({ err: failure }, 'settings failed');
    try {
      parseInvocation(`{"actionContext":{"Configuration":{"Password": ${PASSWORD}}}}`, 'stdin');
    } catch (error) {
      log().debug({ err: error }, 'context failed');
    }

    expect(captured.lines().map((line) => line.msg)).toEqual([
      'x',
      'settings failed',
      'context failed',
    ]);
    expectNoLeak(captured);
  });

  it('while fetching a token, retrying, and logging failed requests', async () => {
    let tokenCalls = 0;
    server.use(
      http.post(`${base}/api/token`, () => {
        tokenCalls += 1;
        if (tokenCalls === 1) return HttpResponse.json({ message: 'busy' }, { status: 503 });
        return HttpResponse.json({ access_token: TOKEN, expires_in: 3600 });
      }),
      // A gateway that echoes what it received, secrets included.
      http.get(`${base}/api/users`, ({ request }) =>
        HttpResponse.json(
          { message: `bad request, got ${request.headers.get('authorization')} ${SECRET}` },
          { status: 400 },
        ),
      ),
      http.get(`${base}/api/humanresources`, () => HttpResponse.error()),
    );
    const client = createClient(settings());

    const rejected = await client.listUsers().catch((error: unknown) => error);
    const unreachable = await client.listHumanResources().catch((error: unknown) => error);
    log().debug({ err: rejected }, 'listing users failed');
    log().error(rejected as Error);
    log().warn({ err: unreachable, nested: { error: unreachable } }, 'listing failed');

    const messages = captured.lines().map((line) => line.msg);
    expect(messages).toContain('retrying an InPlanning request');
    expect(messages).toContain('obtained a new InPlanning token');
    expect(captured.stderr()).toContain('bad request, got Bearer [redacted] [redacted]');
    expect(captured.stderr()).toContain('did not answer GET /humanresources');
    expectNoLeak(captured);
  });

  it('while authenticating with Basic credentials that are refused', async () => {
    server.use(
      http.post(`${base}/api/token`, ({ request }) =>
        HttpResponse.json(
          { error: 'invalid_client', error_description: request.headers.get('authorization') },
          { status: 400 },
        ),
      ),
    );
    const client = createClient(settings({ AuthMethod: 'basic' }));
    const error = await client.listUsers().catch((failure: unknown) => failure);
    log().debug({ err: error }, 'token refused');
    expect(captured.stderr()).toContain('invalid_client');
    expectNoLeak(captured);
  });
});
