/**
 * Starts the InPlanning simulator of the built CLI (`inplanning simulator --port 0 ...`) as a
 * child process, and returns the JSON line it prints first together with a stop function.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { assertBuilt, CLI_BIN, cleanEnv } from './cli.js';

/** The first line the simulator prints. */
export interface SimulatorInfo {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export interface RunningSimulator {
  info: SimulatorInfo;
  /** The server's root (`/_sim/...` lives here), e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** GET /_sim/stats. */
  stats(): Promise<{
    tokensIssued: number;
    requests: Record<string, number>;
    [k: string]: unknown;
  }>;
  /** Everything the simulator wrote to stderr so far. */
  stderr(): string;
  /** Sends SIGTERM (SIGKILL after 5 s) and waits for the process to end. */
  stop(): Promise<void>;
}

/** Starts the simulator with extra flags, e.g. `['--token-ttl', '2']`; fails after `timeoutMs`. */
export async function startSimulator(
  flags: string[] = [],
  timeoutMs = 15_000,
): Promise<RunningSimulator> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI_BIN, 'simulator', '--port', '0', ...flags], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(
      () => reject(new Error(`simulator did not start: ${errors}`)),
      timeoutMs,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code}: ${errors}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  child.stdout.resume();

  const info = JSON.parse(firstLine) as SimulatorInfo;
  const origin = new URL(info.baseUrl).origin;
  return {
    info,
    origin,
    async stats() {
      const response = await fetch(`${origin}/_sim/stats`);
      return (await response.json()) as Awaited<ReturnType<RunningSimulator['stats']>>;
    },
    stderr: () => errors,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
