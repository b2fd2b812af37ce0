/**
 * Benchmark of the action path: start-up of the CLI against `node -e 0`, one `target update`
 * end to end (real and preview), and 500 update and grant actions through the CLI at 16 at a
 * time against the simulator on loopback, all in one run. It prints figures; it asserts nothing.
 *
 * Run it with `npm run bench:actions`, which builds the CLI, bundles this file with esbuild into
 * dist/bench/actions.mjs and runs that with node. Sizes can be lowered for a quick look with
 * BENCH_RUNS (default 30), BENCH_ACTIONS (500) and BENCH_CONCURRENCY (16); BENCH_LATENCY (20)
 * sets the simulator's delay per answer in the parallel phase.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const RUNS = positiveNumber('BENCH_RUNS', 30);
const ACTIONS = positiveNumber('BENCH_ACTIONS', 500);
const CONCURRENCY = positiveNumber('BENCH_CONCURRENCY', 16);
/**
 * Delay the simulator adds to each answer in the parallel phase. Without it every request is
 * answered within one tick and no two are ever in flight at once, so maxInFlight would say
 * nothing about how hard the processes press on the server.
 */
const PARALLEL_LATENCY_MS = positiveNumber('BENCH_LATENCY', 20);
const STARTUP_RUNS = 2 * RUNS;
/** The engine gives an action 30 seconds; a process still running then counts as failed. */
const ACTION_TIMEOUT_MS = 30_000;
/** The whole parallel phase is bounded too. */
const PARALLEL_LIMIT_MS = 15 * 60_000;
const TENANT_USERS = 200;
/** Static permissions of fixtures/permissions.json (groups the generated tenant holds). */
const GRANTABLE = [
  { reference: 'Beheerder-ZRG', role: 'Beheerder', resourceGroup: 'ZRG' },
  { reference: 'Roosteraar-Cardiologie', role: 'Roosteraar', resourceGroup: 'ZRG-CAR' },
];

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

interface SimulatorInfo {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

interface Stats {
  requests: Record<string, number>;
  tokensIssued: number;
  maxInFlight: number;
}

interface TenantUser {
  username: string;
  resource?: string | null;
  email?: string | null;
  roles?: { role: string; resourceGroup: string | null }[] | null;
}

interface Simulator {
  info: SimulatorInfo;
  stats(): Promise<Stats>;
  users(): Promise<TenantUser[]>;
  stop(): Promise<void>;
}

/** One action of the parallel phase, with what must hold afterwards. */
interface PlannedAction {
  verb: 'update' | 'grant';
  username: string;
  actionContext: Record<string, unknown>;
  expect: (user: TenantUser | undefined) => boolean;
}

function positiveNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The environment without INPLANNING_* (a developer's settings must not leak in). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('INPLANNING_')),
  );
}

/** Runs a command to its end and measures its wall time from spawn to exit. */
function run(
  args: string[],
  options: { cwd: string; stdin?: string; timeoutMs?: number },
): Promise<Finished> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: cleanEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A child that exits before reading stdin must not take the benchmark down with EPIPE.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? ACTION_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ code, stdout, stderr, ms });
    });
  });
}

/**
 * A private copy of the built CLI, so that a rebuild of dist/ by other work in the same tree
 * cannot swap chunks under running processes.
 */
function snapshotCli(work: string): string {
  const root = path.join(work, 'cli');
  const ownBundle = path.join(ROOT, 'dist', 'bench');
  for (const item of ['dist', 'bin', 'package.json']) {
    cpSync(path.join(ROOT, item), path.join(root, item), {
      recursive: true,
      filter: (source) => source !== ownBundle,
    });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return path.join(root, 'bin', 'inplanning.js');
}

async function startSimulator(cli: string, work: string, latencyMs = 0): Promise<Simulator> {
  const args = [cli, 'simulator', '--port', '0', '--users', String(TENANT_USERS), '--seed', '1'];
  args.push('--latency', String(latencyMs));
  const child = spawn(process.execPath, args, {
    cwd: work,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const info = JSON.parse(await firstLine(child, () => errors)) as SimulatorInfo;
  child.stdout?.resume();
  let ended = '';
  child.once('exit', (code, signal) => (ended = `exited with ${signal ?? code}`));
  const origin = new URL(info.baseUrl).origin;
  const getJson = async <T>(route: string): Promise<T> => {
    try {
      return (await (await fetch(`${origin}${route}`)).json()) as T;
    } catch (error) {
      // Other work on the machine has been seen to end simulators; say so rather than guess.
      throw new Error(`the simulator ${ended || 'did not answer'}: ${errors.slice(-500)}`, {
        cause: error,
      });
    }
  };
  return {
    info,
    stats: () => getJson<Stats>('/_sim/stats'),
    users: async () => (await getJson<{ users: TenantUser[] }>('/_sim/state')).users,
    stop: () => stopChild(child),
  };
}

function firstLine(child: ChildProcess, errors: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no simulator: ${errors()}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${errors()}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The value at fraction `q` of the sorted values (nearest rank). */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function spread(values: number[]): string {
  const ms = (q: number) => quantile(values, q).toFixed(0);
  return (
    `median ${ms(0.5)} ms, p10 ${ms(0.1)}, p90 ${ms(0.9)}, min ${ms(0)}, max ${ms(1)} ` +
    `(${values.length} runs)`
  );
}

function requestsBetween(before: Stats, after: Stats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.requests)) {
    const added = count - (before.requests[route] ?? 0);
    if (added > 0) out[route] = added;
  }
  return out;
}

function describeRequests(requests: Record<string, number>): string {
  return Object.entries(requests)
    .map(([route, count]) => `${route} ${count}`)
    .join(', ');
}

/** `node -e 0` and `inplanning --version`, interleaved so that load drifts hit both alike. */
async function measureStartUp(cli: string, work: string): Promise<void> {
  const bare: number[] = [];
  const version: number[] = [];
  for (let index = 0; index < STARTUP_RUNS; index += 1) {
    bare.push((await run(['-e', '0'], { cwd: work })).ms);
    const probe = await run([cli, '--version'], { cwd: work });
    if (probe.code !== 0) throw new Error(`--version exited ${probe.code}: ${probe.stderr}`);
    version.push(probe.ms);
  }
  const ratio = quantile(version, 0.5) / quantile(bare, 0.5);
  console.log('\nStart-up');
  console.log(`  node -e 0               ${spread(bare)}`);
  console.log(`  inplanning --version    ${spread(version)}`);
  console.log(`  ratio of medians        ${ratio.toFixed(2)} (target: at most 2)`);
}

interface Workspace {
  cli: string;
  work: string;
  settingsFile: string;
  catalogueFile: string;
}

/** A settings file with a fresh StateDir, so every process of this phase shares one cache. */
function workspace(cli: string, work: string, sim: Simulator, name: string): Workspace {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(ROOT, 'fixtures', 'permissions.json'), path.join(dir, 'permissions.json'));
  const settingsFile = path.join(dir, 'settings.json');
  const settings = {
    BaseUrl: sim.info.baseUrl,
    ClientId: sim.info.clientId,
    ClientSecret: sim.info.clientSecret,
    StateDir: path.join(dir, 'state'),
  };
  writeFileSync(settingsFile, JSON.stringify(settings));
  return { cli, work, settingsFile, catalogueFile: path.join(dir, 'permissions.json') };
}

function targetArgs(space: Workspace, verb: string, preview: boolean): string[] {
  const args = [space.cli, 'target', verb, '--config', space.settingsFile, '--context', '-'];
  if (verb === 'grant') args.push('--permissions', space.catalogueFile);
  if (preview) args.push('--preview');
  return args;
}

/** Runs one target action with its context on stdin; a failure is returned, not thrown. */
async function runAction(
  space: Workspace,
  verb: string,
  actionContext: Record<string, unknown>,
  preview = false,
): Promise<Finished & { ok: boolean }> {
  const stdin = JSON.stringify({ actionContext, personContext: {} });
  const finished = await run(targetArgs(space, verb, preview), { cwd: space.work, stdin });
  return { ...finished, ok: finished.code === 0 && succeeded(finished.stdout) };
}

function succeeded(stdout: string): boolean {
  try {
    return (JSON.parse(stdout) as { Success?: unknown }).Success === true;
  } catch {
    return false;
  }
}

function updateContext(username: string, firstName: string): Record<string, unknown> {
  return { Operation: 'update', References: { Account: username }, Data: { firstName } };
}

/** One update at a time: each real run changes the first name, so each one reads and writes. */
async function measureSingleUpdate(space: Workspace, sim: Simulator): Promise<void> {
  const username = (await sim.users()).find((user) => user.resource)!.username;
  const cold = await runAction(space, 'update', updateContext(username, 'Bench cold'));
  if (!cold.ok) throw new Error(`the first update failed: ${cold.stdout} ${cold.stderr}`);

  const real: number[] = [];
  const preview: number[] = [];
  const before = await sim.stats();
  for (let index = 0; index < RUNS; index += 1) {
    const written = await runAction(space, 'update', updateContext(username, `Bench ${index}`));
    const planned = updateContext(username, `Bench preview ${index}`);
    const previewed = await runAction(space, 'update', planned, true);
    if (!written.ok || !previewed.ok) throw new Error(`an update failed: ${written.stderr}`);
    real.push(written.ms);
    preview.push(previewed.ms);
  }
  const requests = requestsBetween(before, await sim.stats());

  console.log('\nOne update action end to end (warm token cache, simulator --latency 0)');
  console.log(`  first run, cold cache   ${cold.ms.toFixed(0)} ms`);
  console.log(`  update (writes)         ${spread(real)}`);
  console.log(`  update --preview        ${spread(preview)}`);
  console.log(`  requests of ${RUNS} updates and ${RUNS} previews: ${describeRequests(requests)}`);
}

/**
 * Alternating updates and grants over employee accounts that hold neither permission yet: each
 * update sets a new e-mail address and each grant adds an assignment, so every action writes.
 * An update and a grant of the same account start side by side and meet at its lock.
 */
function planActions(users: TenantUser[]): PlannedAction[] {
  const accounts = users.filter((user) => user.resource && !GRANTABLE.some((p) => holds(user, p)));
  const emails = new Map<string, Set<string>>();
  return Array.from({ length: ACTIONS }, (_, index) => {
    const turn = Math.floor(index / 2);
    const { username } = accounts[turn % accounts.length]!;
    if (index % 2 === 0) {
      const email = `bench-${index}@example.org`;
      const planned = emails.get(username) ?? new Set<string>();
      emails.set(username, planned.add(email));
      const actionContext = {
        Operation: 'update',
        References: { Account: username },
        Data: { email },
      };
      // Several updates of one account may finish in any order; one of them must be there.
      return {
        verb: 'update',
        username,
        actionContext,
        expect: (u) => planned.has(u?.email ?? ''),
      };
    }
    const permission = GRANTABLE[Math.floor(turn / accounts.length) % GRANTABLE.length]!;
    const actionContext = {
      Operation: 'grant',
      References: { Account: username, Permission: { Reference: permission.reference } },
    };
    return { verb: 'grant', username, actionContext, expect: (u) => holds(u, permission) };
  });
}

function holds(user: TenantUser | undefined, permission: (typeof GRANTABLE)[number]): boolean {
  return (user?.roles ?? []).some(
    (item) => item.role === permission.role && item.resourceGroup === permission.resourceGroup,
  );
}

/** Runs `actions` with at most CONCURRENCY processes at a time; returns each result in order. */
async function runPool(space: Workspace, actions: PlannedAction[]) {
  const results: (Finished & { ok: boolean })[] = [];
  const deadline = Date.now() + PARALLEL_LIMIT_MS;
  let next = 0;
  const worker = async () => {
    while (next < actions.length && Date.now() < deadline) {
      const index = next++;
      const action = actions[index]!;
      results[index] = await runAction(space, action.verb, action.actionContext);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

async function measureParallel(cli: string, work: string): Promise<void> {
  const sim = await startSimulator(cli, work, PARALLEL_LATENCY_MS);
  try {
    const space = workspace(cli, work, sim, 'parallel');
    const actions = planActions(await sim.users());
    const started = Date.now();
    const results = await runPool(space, actions);
    const wallMs = Date.now() - started;
    const stats = await sim.stats();
    const after = new Map((await sim.users()).map((user) => [user.username, user]));

    const failed = actions.filter((_, index) => !results[index]?.ok);
    const unseen = actions.filter((action) => !action.expect(after.get(action.username)));
    const updates = actions.filter((action) => action.verb === 'update').length;
    console.log(`\n${actions.length} actions through the CLI, ${CONCURRENCY} at a time`);
    console.log(`  simulator               --latency ${PARALLEL_LATENCY_MS} (ms per answer)`);
    console.log(`  mix                     ${updates} update, ${actions.length - updates} grant`);
    console.log(`  wall time               ${(wallMs / 1000).toFixed(1)} s`);
    console.log(`  actions per second      ${((actions.length / wallMs) * 1000).toFixed(1)}`);
    console.log(`  failures                ${failed.length}`);
    console.log(`  changes missing after   ${unseen.length}`);
    console.log(`  tokens issued           ${stats.tokensIssued}`);
    console.log(`  max requests in flight  ${stats.maxInFlight}`);
    console.log(`  per action              ${spread(results.filter(Boolean).map((r) => r.ms))}`);
    console.log(`  requests                ${describeRequests(stats.requests)}`);
    for (const action of failed.slice(0, 3)) {
      const result = results[actions.indexOf(action)];
      console.log(`  failed ${action.verb} ${action.username}: ${result?.stdout.trim()}`);
    }
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-actions-'));
  try {
    const cli = snapshotCli(work);
    console.log(`Node ${process.version}, ${os.cpus().length} CPUs, load ${loadAverage()}`);
    console.log(`CLI: node ${cli} (a copy of dist/)`);
    await measureStartUp(cli, work);

    const sim = await startSimulator(cli, work);
    try {
      await measureSingleUpdate(workspace(cli, work, sim, 'single'), sim);
    } finally {
      await sim.stop();
    }
    await measureParallel(cli, work);
    console.log(`\nload average at the end: ${loadAverage()}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
}

await main();
