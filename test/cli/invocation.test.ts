// Wrong invocations of the built CLI: exit 2, one sentence on stderr naming the problem, a failed
// outputContext on stdout for the actions, and not one request to InPlanning. BaseUrl points at a
// loopback server that counts requests, so "nothing was sent" is observed, not assumed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type RunResult, sentences } from '../helpers/cli.js';
import { type FakeServer, startFakeServer } from '../helpers/fake-server.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-cli-test-'));
const contextFile = path.join(dir, 'context.json');
writeFileSync(contextFile, JSON.stringify({ actionContext: {}, personContext: {} }));

let server: FakeServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startFakeServer((request) => {
    if (request.url.endsWith('/token')) {
      return { status: 200, json: { access_token: 'tok', expires_in: 3600 } };
    }
    return { status: 200, json: [] };
  });
  env = {
    INPLANNING_BASE_URL: `${server.origin}/InPlanningService/rest`,
    INPLANNING_CLIENT_ID: 'cli-test',
    INPLANNING_CLIENT_SECRET: 'cli-test-secret',
    INPLANNING_STATE_DIR: path.join(dir, 'state'),
  };
});
afterAll(() => server.close());

/** The failed outputContext on stdout, checked for its shape. */
function failedOutput(result: RunResult): { Action: string; Message: string } {
  const output = JSON.parse(result.stdout) as {
    Success: boolean;
    AuditLogs: { Action: string; Message: string; IsError: boolean }[];
  };
  expect(output.Success).toBe(false);
  expect(output.AuditLogs).toHaveLength(1);
  expect(output.AuditLogs[0]!.IsError).toBe(true);
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  return output.AuditLogs[0]!;
}

/** Exit 2, one sentence on stderr that contains `problem`, and a failed outputContext. */
function expectInvocationError(result: RunResult, problem: string): void {
  expect(result.code).toBe(2);
  const said = sentences(result.stderr);
  expect(said).toHaveLength(1);
  expect(said[0]).toContain(problem);
  expect(failedOutput(result).Message).toContain(problem);
}

describe('a wrong invocation of a target action', () => {
  let before = 0;
  beforeEach(() => {
    before = server.requests.length;
  });
  afterEach(() => {
    // Not one request reached the (fake) InPlanning.
    expect(server.requests.length).toBe(before);
  });

  it('without BaseUrl names the key', async () => {
    const result = await runCli(['target', 'create', '--context', contextFile], {
      env: { ...env, INPLANNING_BASE_URL: undefined },
    });
    expectInvocationError(result, 'BaseUrl');
  });

  it('with plain http to a public host names the key', async () => {
    const result = await runCli(['target', 'update', '--context', contextFile], {
      env: { ...env, INPLANNING_BASE_URL: 'http://example.com/InPlanningService/rest' },
    });
    expectInvocationError(result, 'BaseUrl');
    expect(result.stderr).toContain('https');
  });

  it('with a non-numeric Concurrency names the key, from any source', async () => {
    const fromEnv = await runCli(['target', 'create', '--context', contextFile], {
      env: { ...env, INPLANNING_CONCURRENCY: 'many' },
    });
    expectInvocationError(fromEnv, 'Concurrency');

    const configFile = path.join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ concurrency: 'lots' }));
    const fromFile = await runCli(
      ['target', 'enable', '--config', configFile, '--context', contextFile],
      { env },
    );
    expectInvocationError(fromFile, 'Concurrency');

    const context = JSON.stringify({ actionContext: { Configuration: { Concurrency: 'x' } } });
    const fromContext = await runCli(['target', 'disable', '--context', '-'], {
      env,
      stdin: context,
    });
    expectInvocationError(fromContext, 'Concurrency');
  });

  it('with a context that is not JSON says so', async () => {
    const result = await runCli(['target', 'create', '--context', '-'], {
      env,
      stdin: '{"actionContext": ',
    });
    expectInvocationError(result, 'not valid JSON');
  });

  it('with a context file that cannot be read names the file', async () => {
    const missing = path.join(dir, 'missing.json');
    const result = await runCli(['target', 'delete', '--context', missing], { env });
    expectInvocationError(result, 'missing.json');
  });

  it('with an unknown flag names the flag, also after global options', async () => {
    const result = await runCli(['target', 'create', '--bogus'], { env });
    expectInvocationError(result, '--bogus');
    const global = await runCli(['--log-level', 'debug', 'target', 'grant', '--bogus'], { env });
    expectInvocationError(global, '--bogus');
  });

  it('with a flag that lacks its value names the flag', async () => {
    const result = await runCli(['target', 'create', '--context'], { env });
    expectInvocationError(result, '--context');
  });

  it('with an unknown log level names the option', async () => {
    const result = await runCli(['--log-level', 'loud', 'target', 'create'], { env });
    expectInvocationError(result, '--log-level');
  });

  it('of an import answers with nothing on stdout', async () => {
    const result = await runCli(['target', 'import-accounts'], {
      env: { ...env, INPLANNING_CONCURRENCY: 'many' },
    });
    expect(result.code).toBe(2);
    expect(sentences(result.stderr)).toEqual([expect.stringContaining('Concurrency')]);
    expect(result.stdout).toBe('');
  });

  it('is answered cleanly even when INPLANNING_LOG_LEVEL names no level', async () => {
    const result = await runCli(['target', 'create', '--context', contextFile], {
      env: { ...env, INPLANNING_LOG_LEVEL: 'verbose', INPLANNING_CONCURRENCY: 'many' },
    });
    expectInvocationError(result, 'Concurrency');
  });

  it('reads settings from a .env file in the working directory', async () => {
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    writeFileSync(path.join(cwd, '.env'), 'INPLANNING_MAX_RETRIES=often\n');
    const result = await runCli(['target', 'create', '--context', contextFile], { env, cwd });
    expectInvocationError(result, 'MaxRetries');

    // A variable that is set wins over the .env file.
    const overridden = await runCli(['target', 'create', '--context', contextFile], {
      env: { ...env, INPLANNING_MAX_RETRIES: 'seldom' },
      cwd,
    });
    expect(overridden.stderr).toContain('"seldom"');
  });

  it('of another command exits 2 with nothing on stdout', async () => {
    const result = await runCli(['source', 'persons', '--bogus'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--bogus');
    expect(result.stdout).toBe('');
  });

  it('without an action, or with an unknown one, exits 2', async () => {
    const missing = await runCli(['target'], { env });
    const unknown = await runCli(['target', 'frobnicate'], { env });
    const nothing = await runCli([], { env });
    expect([missing.code, unknown.code, nothing.code]).toEqual([2, 2, 2]);
    expect(unknown.stderr).toContain('frobnicate');
  });
});

describe('the same invocation with valid settings', () => {
  it('does reach the server, so the counter above would have seen a request', async () => {
    const before = server.requests.length;
    const result = await runCli(['target', 'import-accounts'], { env });
    expect(result.code).toBe(0);
    const urls = server.requests.slice(before).map((request) => request.url);
    expect(urls).toContain('/InPlanningService/rest/api/token');
    expect(urls).toContain('/InPlanningService/rest/api/users?limit=0');
  });
});
