// Benchmark of `inplanning source persons` against the simulator (`--latency 20
// --max-concurrent 8`): the connector's read (group rosters, concurrent) of 10 000 people over
// 14 days, next to the pattern of the existing connectors (one roster request per person, one at
// a time), and the peak memory of a 30 000-person read. `npm run bench:source` builds and runs it.
//
// The one-at-a-time pattern needs 10 000 x 20 ms and more, so it is measured on a tenant of
// SAMPLE people and extrapolated to the full roster count; the output says so. Every read is a
// child process of the built CLI; its peak RSS comes from a preload (bench/source.rss.mjs).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = findRoot(import.meta.dirname);
const CLI = path.join(ROOT, 'bin', 'inplanning.js');
const RSS_PRELOAD = path.join(ROOT, 'bench', 'source.rss.mjs');
const PEOPLE = 10_000;
const SAMPLE = 500;
const LARGE = 30_000;
const TODAY = '2026-03-23';
const WINDOW = ['--from', TODAY, '--to', '2026-04-05']; // 14 roster days
const LATENCY = 20;
const MAX_CONCURRENT = 8;
const CHILD_TIMEOUT_MS = 600_000;

interface SimulatorInfo {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

interface Simulator {
  info: SimulatorInfo;
  origin: string;
  stop(): Promise<void>;
}

interface Measurement {
  label: string;
  wallMs: number;
  requests: number;
  rosterRequests: number;
  peakRssMb: number;
  /** CPU time of the reading process (user and system), which machine load does not inflate. */
  cpuMs: number;
  persons: number;
  outputMb: number;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'bench-source-'));

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the benchmark');
    dir = parent;
  }
  return dir;
}

/** The environment without INPLANNING_* (a developer's settings must not leak in). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('INPLANNING_')),
  );
  return { ...env, INPLANNING_LOG_LEVEL: 'warn', ...extra };
}

/** Starts `inplanning simulator` with a generated tenant of `users` people. */
async function startSimulator(users: number): Promise<Simulator> {
  const flags = {
    '--users': users,
    '--days': 14,
    '--today': TODAY,
    '--seed': 1,
    '--latency': LATENCY,
    '--max-concurrent': MAX_CONCURRENT,
  };
  const args = [CLI, 'simulator', '--port', '0', ...Object.entries(flags).flat().map(String)];
  const child = spawn(process.execPath, args, {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const line = await firstLine(child, () => errors);
  child.stdout?.resume();
  const info = JSON.parse(line) as SimulatorInfo;
  return {
    info,
    origin: new URL(info.baseUrl).origin,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function firstLine(child: ChildProcess, errors: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`simulator did not start: ${errors()}`)),
      120_000,
    );
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${errors()}`)));
  });
}

async function requestCounts(sim: Simulator): Promise<{ total: number; roster: number }> {
  const stats = (await (await fetch(`${sim.origin}/_sim/stats`)).json()) as {
    requests: Record<string, number>;
  };
  const count = (key: string) => stats.requests[key] ?? 0;
  const total = Object.values(stats.requests).reduce((sum, value) => sum + value, 0);
  return { total, roster: count('GET /roster/resourceRoster') + count('GET /roster/groupRoster') };
}

/** Runs one CLI read as a child process: wall time, requests, peak RSS and output size. */
async function measure(
  sim: Simulator,
  label: string,
  command: 'persons' | 'departments',
  settings: Record<string, unknown>,
): Promise<Measurement> {
  const name = label.replace(/\W+/g, '-');
  const config = path.join(work, `${name}.json`);
  const rssFile = path.join(work, `${name}.rss`);
  const connection = {
    BaseUrl: sim.info.baseUrl,
    ClientId: sim.info.clientId,
    ClientSecret: sim.info.clientSecret,
    StateDir: path.join(work, `state-${name}`),
  };
  writeFileSync(config, JSON.stringify({ ...connection, ...settings }));

  const before = await requestCounts(sim);
  const started = performance.now();
  const args = ['--import', RSS_PRELOAD, CLI, 'source', command, '--config', config];
  if (command === 'persons') args.push(...WINDOW);
  const output = await runChild(args, cleanEnv({ BENCH_RSS_FILE: rssFile }), label);
  const wallMs = performance.now() - started;
  const after = await requestCounts(sim);
  const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRSS: number; cpu: number };
  return {
    label,
    wallMs,
    requests: after.total - before.total,
    rosterRequests: after.roster - before.roster,
    peakRssMb: usage.maxRSS / 1024,
    cpuMs: usage.cpu / 1000,
    ...output,
  };
}

function runChild(args: string[], env: NodeJS.ProcessEnv, label: string) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  let bytes = 0;
  let persons = 0;
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) persons += 1;
  });
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise<{ persons: number; outputMb: number }>((resolve, reject) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ persons, outputMb: bytes / 1024 / 1024 });
      else reject(new Error(`${label} exited with ${code}: ${errors.slice(-2000)}`));
    });
  });
}

/** How many roster requests the one-at-a-time pattern makes: one per active planned resource. */
async function plannedResources(sim: Simulator): Promise<number> {
  const state = (await (await fetch(`${sim.origin}/_sim/state`)).json()) as {
    users: Array<{ active?: unknown; resource?: string | null }>;
  };
  const resources = new Set<string>();
  for (const user of state.users) {
    const active = user.active === true || /^true$/i.test(String(user.active));
    if (active && user.resource?.trim()) resources.add(user.resource);
  }
  return resources.size;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

type Row = Pick<Measurement, 'label' | 'wallMs' | 'cpuMs' | 'requests' | 'peakRssMb' | 'persons'>;

function row(result: Row) {
  return [
    result.label.padEnd(46),
    seconds(result.wallMs).padStart(10),
    seconds(result.cpuMs).padStart(9),
    String(result.requests).padStart(9),
    `${result.peakRssMb.toFixed(0)} MB`.padStart(9),
    String(result.persons).padStart(8),
  ].join('  ');
}

async function withSimulator<T>(users: number, task: (sim: Simulator) => Promise<T>) {
  const sim = await startSimulator(users);
  try {
    return await task(sim);
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm run bench:source does).');
  }
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(
    `source persons: ${PEOPLE} people over 14 days; simulator --latency ${LATENCY} ` +
      `--max-concurrent ${MAX_CONCURRENT}; ${os.cpus().length} CPUs, load average ${load}`,
  );

  const [ours, resources] = await withSimulator(
    PEOPLE,
    async (sim) =>
      [
        await measure(sim, 'connector (group rosters, 8 concurrent)', 'persons', {
          RosterMode: 'group',
          Concurrency: MAX_CONCURRENT,
        }),
        await plannedResources(sim),
      ] as const,
  );
  const [fixed, sample] = await withSimulator(
    SAMPLE,
    async (sim) =>
      [
        await measure(sim, 'start-up, token and one request', 'departments', {}),
        await measure(sim, `one at a time, ${SAMPLE}-person sample`, 'persons', {
          RosterMode: 'resource',
          Concurrency: 1,
        }),
      ] as const,
  );
  const large = await withSimulator(LARGE, (sim) =>
    measure(sim, `connector, ${LARGE} people`, 'persons', {
      RosterMode: 'group',
      Concurrency: MAX_CONCURRENT,
    }),
  );

  // One request per planned resource at the sample's pace, plus the fixed start-up cost.
  const scale = resources / sample.rosterRequests;
  const extrapolated = {
    label: `one at a time, extrapolated to ${PEOPLE} people`,
    wallMs: fixed.wallMs + (sample.wallMs - fixed.wallMs) * scale,
    cpuMs: fixed.cpuMs + (sample.cpuMs - fixed.cpuMs) * scale,
    requests: sample.requests - sample.rosterRequests + resources,
    peakRssMb: sample.peakRssMb,
    persons: Math.round(sample.persons * scale),
  };

  console.log('');
  const header = [
    'read'.padEnd(46),
    'wall'.padStart(10),
    'CPU'.padStart(9),
    'requests'.padStart(9),
  ];
  console.log([...header, 'peak RSS'.padStart(9), 'persons'.padStart(8)].join('  '));
  for (const result of [ours, sample, extrapolated, large]) console.log(row(result));
  console.log('');
  const perRequest = (sample.wallMs - fixed.wallMs) / sample.rosterRequests;
  console.log(
    `extrapolation: ${sample.rosterRequests} roster requests in the sample at ` +
      `${perRequest.toFixed(1)} ms each after a fixed ${seconds(fixed.wallMs)}, scaled to ` +
      `${resources} planned resources; the memory figure of that row is the sample's own`,
  );
  console.log(
    `output: ${ours.outputMb.toFixed(1)} MB of ndjson at ${PEOPLE} people, ` +
      `${large.outputMb.toFixed(1)} MB at ${LARGE}`,
  );
  console.log(
    `the connector is ${(extrapolated.wallMs / ours.wallMs).toFixed(1)} times faster with ` +
      `${(extrapolated.requests / ours.requests).toFixed(0)} times fewer requests`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
