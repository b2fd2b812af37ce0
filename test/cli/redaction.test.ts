// The built CLI at --log-level debug, against a fake InPlanning on 127.0.0.1 that echoes the
// credentials it receives back into its error messages: no secret may reach stdout or stderr.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type RunResult } from '../helpers/cli.js';
import { type FakeAnswer, type FakeServer, startFakeServer } from '../helpers/fake-server.js';

const SECRET = 'Cli+Secret/with=odd&chars';
const PASSWORD = 'Pass word+1';
const TOKEN = 'tok-1a2b3c4d5e6f7a8b9c0d';
const CLIENT_ID = 'redaction-client';
const dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-redaction-test-'));

function leakForms(): string[] {
  const forms = [TOKEN];
  for (const value of [SECRET, PASSWORD]) {
    forms.push(
      value,
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
    );
    forms.push(Buffer.from(`${CLIENT_ID}:${value}`).toString('base64'));
  }
  return forms;
}

function expectNoLeak(result: RunResult): void {
  for (const form of leakForms()) {
    expect(result.stdout).not.toContain(form);
    expect(result.stderr).not.toContain(form);
  }
}

/** The log lines of a run, parsed. */
function logLines(result: RunResult): { level: string; msg: string }[] {
  return result.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; msg: string });
}

/** Everything a request carried, echoed back as a gateway that tells too much would. */
function echo(request: { headers: Record<string, unknown>; body: string }): string {
  return `got ${String(request.headers.authorization)} and ${request.body}`;
}

/** A token endpoint that is busy once, then hands out TOKEN; `data` answers the rest. */
function tenant(data: (request: { headers: Record<string, unknown>; body: string }) => FakeAnswer) {
  let tokenCalls = 0;
  return (request: { url: string; headers: Record<string, unknown>; body: string }) => {
    if (!request.url.endsWith('/token')) return data(request);
    tokenCalls += 1;
    if (tokenCalls === 1) return { status: 503, json: { message: echo(request) } };
    return { status: 200, json: { access_token: TOKEN, expires_in: 3600 } };
  };
}

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function settingsEnv(origin: string, extra: Record<string, string> = {}) {
  return {
    INPLANNING_BASE_URL: `${origin}/InPlanningService/rest`,
    INPLANNING_CLIENT_ID: CLIENT_ID,
    INPLANNING_CLIENT_SECRET: SECRET,
    INPLANNING_STATE_DIR: mkdtempSync(path.join(dir, 'state-')),
    INPLANNING_MAX_RETRIES: '1',
    ...extra,
  };
}

describe('the CLI at --log-level debug shows no secret', () => {
  it('when a read succeeds after a retried token request', async () => {
    server = await startFakeServer(
      tenant(() => ({ status: 200, json: [{ username: 'a', active: true }] })),
    );

    const result = await runCli(['--log-level', 'debug', 'target', 'import-accounts'], {
      env: settingsEnv(server.origin),
    });

    expect(result.code).toBe(0);
    const messages = logLines(result).map((line) => line.msg);
    expect(messages).toContain('retrying an InPlanning request');
    expect(messages).toContain('obtained a new InPlanning token');
    expect(server.requests.filter((request) => request.url.endsWith('/token'))).toHaveLength(2);
    expectNoLeak(result);
  });

  it('when a request fails with an error that echoes the credentials', async () => {
    server = await startFakeServer(
      tenant((request) => ({ status: 400, json: { message: echo(request) } })),
    );
    const context = JSON.stringify({
      actionContext: {
        Configuration: { ClientSecret: SECRET, Password: PASSWORD },
        References: { Account: 'j.jansen' },
      },
    });

    const result = await runCli(['target', 'enable', '--log-level', 'debug', '--context', '-'], {
      env: settingsEnv(server.origin),
      stdin: context,
    });

    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as { AuditLogs: { Message: string }[] };
    expect(output.AuditLogs[0]!.Message).toContain('got Bearer [redacted]');
    expect(result.stderr).toContain('got Bearer [redacted]');
    expectNoLeak(result);
  });

  it('when Basic credentials are refused with an echo', async () => {
    server = await startFakeServer((request) => ({
      status: 400,
      json: { error: 'invalid_client', error_description: echo(request) },
    }));

    const result = await runCli(['target', 'import-accounts', '--log-level', 'debug'], {
      env: settingsEnv(server.origin, {
        INPLANNING_AUTH_METHOD: 'basic',
        INPLANNING_CLIENT_SECRET: '',
        INPLANNING_PASSWORD: PASSWORD,
      }),
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid_client');
    expect(server.requests[0]!.headers.authorization).toMatch(/^Basic /);
    expectNoLeak(result);
  });

  it('when the settings are wrong and a config file holds the secret', async () => {
    const configFile = path.join(dir, 'broken.json');
    writeFileSync(configFile, `{"ClientSecret": ${SECRET}}`);

    const result = await runCli(
      ['--log-level', 'debug', 'target', 'create', '--config', configFile],
      { env: {} },
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not valid JSON');
    expectNoLeak(result);
  });
});
