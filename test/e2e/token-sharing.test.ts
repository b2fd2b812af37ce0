// Twenty processes share one client's token against the simulator, whose tokens live two seconds
// and one fifth of whose answers fail (429, 503, reset, too slow): every call must succeed, and
// the shared cache must keep the tokens issued near one per lifetime.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/cli.js';
import { type RunningSimulator, startSimulator } from '../helpers/simulator.js';

const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'client-calls.mjs');
const PROCESSES = 20;
const CALLS = 10;
/** Spreads each process's calls over more than one token lifetime. */
const PAUSE_MS = 220;
const TOKEN_TTL = 2;

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator([
    '--token-ttl',
    String(TOKEN_TTL),
    '--fault-rate',
    '0.2',
    '--users',
    '60',
    '--seed',
    '11',
  ]);
});
afterAll(() => simulator?.stop());

describe('a token shared by many processes', () => {
  it('lets every call succeed and is issued about once per lifetime', async () => {
    const env = {
      INPLANNING_BASE_URL: simulator.info.baseUrl,
      INPLANNING_CLIENT_ID: simulator.info.clientId,
      INPLANNING_CLIENT_SECRET: simulator.info.clientSecret,
      INPLANNING_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'inplanning-e2e-token-')),
      // The simulator's slow answers outlast this, so they end as timeouts and are retried.
      INPLANNING_REQUEST_TIMEOUT_SECONDS: '2',
      INPLANNING_MAX_RETRIES: '8',
    };
    const started = Date.now();

    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        runNode(SCRIPT, [String(CALLS), String(PAUSE_MS)], { env, timeoutMs: 60_000 }),
      ),
    );

    const seconds = (Date.now() - started) / 1000;
    const stats = await simulator.stats();
    const reports = runs.map((run) => {
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout) as { ok: number; failures: string[]; requests: number };
    });
    expect(reports.flatMap((report) => report.failures)).toEqual([]);
    expect(reports.map((report) => report.ok)).toEqual(Array(PROCESSES).fill(CALLS));
    expect(runs.map((run) => run.code)).toEqual(Array(PROCESSES).fill(0));

    // The run outlasted a token, so it was refreshed, yet shared rather than fought over.
    expect(seconds).toBeGreaterThan(TOKEN_TTL);
    expect(stats.tokensIssued).toBeGreaterThanOrEqual(2);
    expect(stats.tokensIssued).toBeLessThanOrEqual(Math.ceil(seconds / TOKEN_TTL) + 3);
    // The faults did happen, and were ridden out.
    const faults = stats.faults as Record<string, number>;
    expect(Object.values(faults).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  }, 90_000);
});
