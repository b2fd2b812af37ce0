// What keeps the action path fast, checked without timing anything: the built entry loads no
// chunk for --version and every dependency is bundled; an update sends one read and at most one
// write (plus the token when the cache is cold); processes started together share one token.
// The figures themselves come from `npm run bench:actions`.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type RunResult } from '../helpers/cli.js';
import { type RunningSimulator, startSimulator } from '../helpers/simulator.js';

const DIST = path.join(REPO_ROOT, 'dist');
const PARALLEL = 8;

/** The specifiers a built module imports statically (`import ... from "x"`, `import "x"`). */
function staticImports(source: string): string[] {
  const pattern = /^import\s+(?:[^'"]*?\sfrom\s+)?["']([^"']+)["'];?$/gm;
  return [...source.matchAll(pattern)].map((match) => match[1]!);
}

describe('the built CLI', () => {
  it('loads no chunk before it knows the command', () => {
    const main = readFileSync(path.join(DIST, 'main.js'), 'utf8');

    expect(staticImports(main).filter((specifier) => !isBuiltin(specifier))).toEqual([]);
  });

  it('bundles its dependencies, so Node resolves no package at run time', () => {
    const files = readdirSync(DIST).filter((name) => name.endsWith('.js'));
    const bare = files.flatMap((name) =>
      staticImports(readFileSync(path.join(DIST, name), 'utf8'))
        .filter((specifier) => !isBuiltin(specifier) && !specifier.startsWith('./'))
        .map((specifier) => `${name}: ${specifier}`),
    );

    expect(files.length).toBeGreaterThan(3);
    expect(bare).toEqual([]);
  });
});

describe('requests of an update through the CLI', () => {
  let sim: RunningSimulator;
  let dir: string;
  let username: string;

  beforeAll(async () => {
    sim = await startSimulator(['--users', '20', '--seed', '3']);
    dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-actions-speed-'));
    const state = (await (await fetch(`${sim.origin}/_sim/state`)).json()) as {
      users: { username: string; resource: string | null }[];
    };
    username = state.users.find((user) => user.resource)!.username;
  });
  afterAll(() => sim?.stop());

  /** A settings file with its own StateDir: a cold token cache. */
  function settingsFile(name: string): string {
    const file = path.join(dir, `${name}.json`);
    const settings = {
      BaseUrl: sim.info.baseUrl,
      ClientId: sim.info.clientId,
      ClientSecret: sim.info.clientSecret,
      StateDir: path.join(dir, `${name}-state`),
    };
    writeFileSync(file, JSON.stringify(settings));
    return file;
  }

  function update(settings: string, firstName: string, flags: string[] = []): Promise<RunResult> {
    const actionContext = {
      Operation: 'update',
      References: { Account: username },
      Data: { firstName },
    };
    return runCli(['target', 'update', '--config', settings, '--context', '-', ...flags], {
      stdin: JSON.stringify({ actionContext, personContext: {} }),
      timeoutMs: 30_000,
    });
  }

  /** The requests the simulator counted while `task` ran, per route. */
  async function requestsDuring(task: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = (await sim.stats()).requests;
    await task();
    const after = (await sim.stats()).requests;
    const added: Record<string, number> = {};
    for (const [route, count] of Object.entries(after)) {
      if (count > (before[route] ?? 0)) added[route] = count - (before[route] ?? 0);
    }
    return added;
  }

  it('reads once and writes once, plus one token request with a cold cache', async () => {
    const settings = settingsFile('cold');
    let result: RunResult | undefined;

    const requests = await requestsDuring(async () => {
      result = await update(settings, 'Speedy');
    });

    expect(result?.code).toBe(0);
    expect(requests).toEqual({ 'POST /token': 1, 'GET /users/{username}': 1, 'PUT /users': 1 });
  });

  it('only reads when nothing differs, and in a preview, with a warm cache', async () => {
    const settings = settingsFile('warm');
    expect((await update(settings, 'Warm')).code).toBe(0);
    const results: RunResult[] = [];

    const requests = await requestsDuring(async () => {
      results.push(await update(settings, 'Warm'));
      results.push(await update(settings, 'Previewed', ['--preview']));
    });

    expect(results.map((result) => result.code)).toEqual([0, 0]);
    expect(requests).toEqual({ 'GET /users/{username}': 2 });
  });

  it(`shares one token between ${PARALLEL} processes started at once`, async () => {
    const settings = settingsFile('parallel');
    const tokensBefore = (await sim.stats()).tokensIssued;

    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, index) => update(settings, `Parallel ${index}`)),
    );

    expect(results.map((result) => result.code)).toEqual(Array(PARALLEL).fill(0));
    expect((await sim.stats()).tokensIssued - tokensBefore).toBe(1);
  }, 60_000);
});
