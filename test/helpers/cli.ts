/**
 * Runs the built CLI (`node bin/inplanning.js`) as a child process. Build first with
 * `npm run build`; `npm test` does that before vitest starts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'inplanning.js');

export interface RunResult {
  /** The exit code, or null when the process was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the child's stdin, which is then closed (stdin is empty when absent). */
  stdin?: string;
  /** Added to the environment; a key set to undefined is removed. */
  env?: Record<string, string | undefined>;
  /** Working directory; defaults to an empty temporary folder (so no stray `.env` is read). */
  cwd?: string;
  /** The child is killed after this long (default 15 s). */
  timeoutMs?: number;
}

let emptyDir: string | undefined;

/** Throws a clear error when the bundle is missing, instead of a confusing child failure. */
export function assertBuilt(): void {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before these tests.');
  }
}

/**
 * The parent's environment without any INPLANNING_* variable (those would leak the developer's
 * settings into a test), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('INPLANNING_')) env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs `node <script> ...args` and collects its exit code and output. */
export function runNode(script: string, args: string[], options: RunOptions = {}) {
  emptyDir ??= mkdtempSync(path.join(os.tmpdir(), 'inplanning-test-cwd-'));
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd ?? emptyDir,
    env: cleanEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  return new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the built `inplanning` CLI with `args`. */
export function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  assertBuilt();
  return runNode(CLI_BIN, args, options);
}

/** The lines of stderr the CLI wrote for a person (not the JSON log lines). */
export function sentences(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
}
