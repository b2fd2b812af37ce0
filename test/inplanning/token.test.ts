import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors.js';
import { fileKey, withFileLock, writeJsonFile } from '../../src/inplanning/state-files.js';
import { TokenSource } from '../../src/inplanning/token.js';

const ROOT = 'https://tenant.example/rest/api';
const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'inplanning-token-test-'));

interface Rig {
  sources: TokenSource[];
  fetches: () => number;
  clock: { now: number };
  cacheFile: string;
  failNext: () => void;
}

/** `count` token sources (standing for processes) sharing one StateDir and one fake clock. */
function rig(count = 1, fetchDelayMs = 0, fetchClockMs = 0): Rig {
  const stateDir = mkdtempSync(path.join(tempRoot, 'state-'));
  const clock = { now: 1_000_000 };
  let fetches = 0;
  let fail = false;
  const fetchToken = async () => {
    fetches += 1;
    clock.now += fetchClockMs;
    if (fetchDelayMs) await new Promise((resolve) => setTimeout(resolve, fetchDelayMs));
    if (fail) {
      fail = false;
      throw new Error('token endpoint down');
    }
    return { token: `T${fetches + 1}`, expiresIn: 100 };
  };
  const sources = Array.from(
    { length: count },
    () =>
      new TokenSource({
        stateDir,
        baseUrl: ROOT,
        clientId: 'id',
        fetchToken,
        now: () => clock.now,
      }),
  );
  const cacheFile = path.join(stateDir, 'tokens', `${fileKey(ROOT, 'id')}.json`);
  return { sources, fetches: () => fetches, clock, cacheFile, failNext: () => (fail = true) };
}

/** Puts `token` in the cache as another process would, valid for 100 s from `now`. */
async function cache(r: Rig, token: string): Promise<void> {
  await writeJsonFile(r.cacheFile, {
    token,
    issuedAt: r.clock.now,
    expiresAt: r.clock.now + 100_000,
  });
}

describe('TokenSource', () => {
  it('fetches once and then answers from memory', async () => {
    const r = rig();
    const [source] = r.sources;
    const tokens = await Promise.all([source!.get(), source!.get(), source!.get()]);
    expect(await source!.get()).toBe('T2');
    expect(tokens).toEqual(['T2', 'T2', 'T2']);
    expect(r.fetches()).toBe(1);
  });

  it('refreshes within the last tenth of the lifetime, not before', async () => {
    const r = rig();
    const [source] = r.sources;
    await source!.get();
    r.clock.now += 89_000;
    expect(await source!.get()).toBe('T2');
    r.clock.now += 2_000;
    expect(await source!.get()).toBe('T3');
    expect(r.fetches()).toBe(2);
  });

  it('counts the lifetime from the request, not from a late answer', async () => {
    // The answer takes 30 s of the token's 100 s; InPlanning's clock started at the request.
    const r = rig(1, 0, 30_000);
    const [source] = r.sources;
    const requested = r.clock.now;
    await source!.get();
    r.clock.now = requested + 85_000;
    expect(await source!.get()).toBe('T2');
    r.clock.now = requested + 95_000;
    expect(await source!.get()).toBe('T3');
  });

  it('offers a newer token from memory or the cache without fetching', async () => {
    const r = rig();
    const [source] = r.sources;
    await source!.get();
    expect(await source!.newer('T1')).toBe('T2');
    expect(await source!.newer('T2')).toBeUndefined();
    await cache(r, 'from-elsewhere');
    expect(await source!.newer('T2')).toBe('from-elsewhere');
    expect(r.fetches()).toBe(1);
  });

  it('takes the token another process cached instead of fetching one', async () => {
    const r = rig(2);
    await r.sources[0]!.get();
    expect(await r.sources[1]!.get()).toBe('T2');
    expect(r.fetches()).toBe(1);
  });

  it('lets only one of many processes fetch when the cache is empty', async () => {
    const r = rig(5, 50);
    const tokens = await Promise.all(r.sources.map((source) => source.get()));
    expect(new Set(tokens)).toEqual(new Set(['T2']));
    expect(r.fetches()).toBe(1);
  });

  it('lets only one process refresh a token that all of them saw refused', async () => {
    const r = rig(4, 30);
    await Promise.all(r.sources.map((source) => source.get()));
    const replaced = await Promise.all(r.sources.map((source) => source.replace('T2')));
    expect(replaced).toEqual(['T3', 'T3', 'T3', 'T3']);
    expect(r.fetches()).toBe(2);
  });

  it('replaces a refused token by a newer cached one without fetching', async () => {
    const r = rig();
    const [source] = r.sources;
    await source!.get();
    await cache(r, 'from-elsewhere');
    expect(await source!.replace('T2')).toBe('from-elsewhere');
    expect(r.fetches()).toBe(1);
  });

  it('never hands back the refused token, even while a refresh for expiry is running', async () => {
    const r = rig();
    const [source] = r.sources;
    // The cache holds T1, which InPlanning has already refused to this process.
    await cache(r, 'T1');
    const [fromGet, fromReplace] = await Promise.all([source!.get(), source!.replace('T1')]);
    expect(fromGet).toBe('T1');
    expect(fromReplace).not.toBe('T1');
    expect(fromReplace).toBe('T2');
  });

  it('gives a TransientError when another process holds the lock too long', async () => {
    const stateDir = mkdtempSync(path.join(tempRoot, 'state-'));
    const lockFile = path.join(stateDir, 'tokens', `${fileKey(ROOT, 'id')}.lock`);
    const source = new TokenSource({
      stateDir,
      baseUrl: ROOT,
      clientId: 'id',
      fetchToken: async () => ({ token: 'never', expiresIn: 100 }),
      lockWaitMs: 100,
    });
    let failure: unknown;
    await withFileLock(lockFile, async () => {
      failure = await source.get().catch((error: unknown) => error);
    });
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as TransientError).message).toContain('fetching the InPlanning token');
  });

  it('fetches anew when the cache file is corrupt', async () => {
    const r = rig();
    await mkdir(path.dirname(r.cacheFile), { recursive: true });
    writeFileSync(r.cacheFile, '{not json');
    expect(await r.sources[0]!.get()).toBe('T2');
  });

  it('recovers after a failed fetch, leaving the lock free', async () => {
    const r = rig(2);
    r.failNext();
    await expect(r.sources[0]!.get()).rejects.toThrow('token endpoint down');
    expect(await r.sources[1]!.get()).toBe('T3');
    expect(await r.sources[0]!.get()).toBe('T3');
  });
});
