import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin', 'inplanning.js');
const FIXTURE = path.join(ROOT, 'fixtures', 'tenant-small.json');

interface StartLine {
  baseUrl: string;
  adminBaseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

type Child = ChildProcessByStdio<null, Readable, Readable>;
const children: Child[] = [];

function spawnCli(args: string[]): Child {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, INPLANNING_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function firstLine(child: Child): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no line within 10 s')), 10_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
}

function exitOf(child: Child): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

async function tokenStatus(url: string, init: RequestInit): Promise<[number, string]> {
  const response = await fetch(url, { method: 'POST', ...init });
  const body = (await response.json()) as { access_token?: string };
  return [response.status, body.access_token ?? ''];
}

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before these tests.');
  }
});

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

describe('inplanning simulator (built CLI)', () => {
  it('prints its JSON line, serves both token forms and 211, exits 0 on SIGTERM', async () => {
    const child = spawnCli(['simulator', '--port', '0']);
    const exited = exitOf(child);
    const start = JSON.parse(await firstLine(child)) as StartLine;
    const grant = new URLSearchParams({ grant_type: 'client_credentials' });
    const basic = Buffer.from(`${start.username}:${start.password}`).toString('base64');

    const form = await tokenStatus(`${start.baseUrl}/api/token`, {
      body: new URLSearchParams({
        client_id: start.clientId,
        client_secret: start.clientSecret,
        grant_type: 'client_credentials',
      }),
    });
    const viaBasic = await tokenStatus(`${start.adminBaseUrl}/token`, {
      headers: { authorization: `Basic ${basic}` },
      body: grant,
    });
    const headers = { authorization: `Bearer ${viaBasic[1]}` };
    const users = await fetch(`${start.baseUrl}/api/users?limit=0`, { headers });
    const unknown = await fetch(`${start.baseUrl}/api/users/niemand%40zorg.nl`, { headers });
    child.kill('SIGTERM');

    expect(Object.keys(start)).toEqual(
      expect.arrayContaining(['baseUrl', 'clientId', 'clientSecret', 'username', 'password']),
    );
    expect(start.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/InPlanningService\/rest$/);
    expect(form[0]).toBe(200);
    expect(viaBasic[0]).toBe(200);
    expect(users.status).toBe(200);
    expect(((await users.json()) as unknown[]).length).toBeGreaterThan(100);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/^211 - /);
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expect(stderr).not.toContain(start.clientSecret);
  });

  it('serves a --data tenant', async () => {
    const child = spawnCli(['simulator', '--port', '0', '--data', FIXTURE]);
    const exited = exitOf(child);
    const start = JSON.parse(await firstLine(child)) as StartLine;

    const state = await fetch(`${new URL(start.baseUrl).origin}/_sim/state`);
    child.kill('SIGINT');

    const body = (await state.json()) as { users: { username: string }[] };
    expect(body.users.map((user) => user.username)).toContain('extern/n.bakker');
    expect((await exited).code).toBe(0);
  });

  it.each([
    [['--port', 'abc'], '--port'],
    [['--fault-rate', '1.5'], '--fault-rate'],
    [['--today', '2026-02-30'], '--today'],
    [['--max-concurrent', '0'], '--max-concurrent'],
    [['--data', 'does-not-exist.json'], '--data'],
  ])('exits 2 naming the flag for %j', async (flags, flag) => {
    const child = spawnCli(['simulator', ...flags]);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));

    const { code, stderr } = await exitOf(child);

    expect(code).toBe(2);
    expect(stderr).toContain(flag);
    expect(stdout).toBe('');
  });
});
