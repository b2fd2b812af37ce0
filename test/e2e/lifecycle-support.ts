/**
 * Support for the lifecycle end-to-end tests: an in-process simulator with a fresh StateDir and
 * a settings file, running `inplanning target <action>` as a child process, and reading the
 * simulator's state and statistics through `/_sim`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OutputContext } from '../../src/context.js';
import type { User } from '../../src/inplanning/schemas.js';
import { type RunningSimulator, startSimulatorServer } from '../../src/simulator/server.js';
import type { ServerOptions } from '../../src/simulator/server.js';
import { runCli } from '../helpers/cli.js';

export interface LifecycleSim {
  sim: RunningSimulator;
  stateDir: string;
  settingsFile: string;
  /** Writes a file into the test's temporary folder and returns its path. */
  writeFile(name: string, content: unknown): string;
  users(): Promise<User[]>;
  user(username: string): Promise<User | undefined>;
  /** Requests the simulator counted so far, over all routes (token requests included). */
  requestCount(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a simulator on 127.0.0.1 and writes settings for it (with `settings` added). */
export async function startLifecycleSim(
  options: ServerOptions,
  settings: Record<string, unknown> = {},
): Promise<LifecycleSim> {
  const sim = await startSimulatorServer({ ...options, host: '127.0.0.1', port: 0 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-lifecycle-e2e-'));
  const stateDir = path.join(dir, 'state');
  const writeFile = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const settingsFile = writeFile('settings.json', {
    BaseUrl: sim.baseUrl,
    ClientId: sim.credentials.clientId,
    ClientSecret: sim.credentials.clientSecret,
    StateDir: stateDir,
    ...settings,
  });
  const users = async () => {
    const response = await fetch(`${sim.rootUrl}/_sim/state`);
    return ((await response.json()) as { users: User[] }).users;
  };
  return {
    sim,
    stateDir,
    settingsFile,
    writeFile,
    users,
    user: async (username) => (await users()).find((user) => user.username === username),
    requestCount: async () => {
      const response = await fetch(`${sim.rootUrl}/_sim/stats`);
      const stats = (await response.json()) as { requests: Record<string, number> };
      return Object.values(stats.requests).reduce((sum, count) => sum + count, 0);
    },
    stop: async () => {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ActionRun {
  code: number | null;
  /** The outputContext printed on stdout (undefined when stdout is not one JSON object). */
  output: OutputContext | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Runs `inplanning target <action>`: `context` goes to stdin (`--context -`), unless it is
 * `{ file }`, which is passed as `--context FILE`.
 */
export async function runTarget(
  env: LifecycleSim,
  action: string,
  context: unknown,
  extraArgs: string[] = [],
): Promise<ActionRun> {
  const file = (context as { file?: unknown } | null)?.file;
  const fromFile = typeof file === 'string';
  const stdin = typeof context === 'string' ? context : JSON.stringify(context);
  const args = ['target', action, '--config', env.settingsFile, '--context'];
  args.push(fromFile ? file : '-', ...extraArgs);
  const result = await runCli(args, { stdin: fromFile ? '' : stdin, timeoutMs: 30_000 });
  return { ...result, output: parseOutput(result.stdout) };
}

function parseOutput(stdout: string): OutputContext | undefined {
  try {
    return JSON.parse(stdout) as OutputContext;
  } catch {
    return undefined;
  }
}
