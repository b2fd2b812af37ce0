import { mkdtempSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withAccountLock } from '../../src/inplanning/account-lock.js';
import {
  fileKey,
  readJsonFile,
  withFileLock,
  writeJsonFile,
} from '../../src/inplanning/state-files.js';

const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'inplanning-state-test-'));
const fresh = () => mkdtempSync(path.join(tempRoot, 'dir-'));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the tasks at once and returns the order in which they started and ended. */
async function timeline(tasks: ((step: (what: string) => void) => Promise<void>)[]) {
  const steps: string[] = [];
  await Promise.all(tasks.map((task) => task((what) => steps.push(what))));
  return steps;
}

describe('state files', () => {
  it('write JSON atomically with mode 0600, leaving no temporary file', async () => {
    const dir = fresh();
    const file = path.join(dir, 'nested', 'value.json');
    await writeJsonFile(file, { a: 1 });
    await writeJsonFile(file, { a: 2 });
    expect(await readJsonFile(file)).toEqual({ a: 2 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(await readdir(path.dirname(file))).toEqual(['value.json']);
  });

  it('read a missing or broken file as undefined', async () => {
    expect(await readJsonFile(path.join(fresh(), 'missing.json'))).toBeUndefined();
  });

  it('name files by a stable, file-name-safe key', () => {
    expect(fileKey('https://x/api', 'id')).toMatch(/^[0-9a-f]{32}$/);
    expect(fileKey('https://x/api', 'id')).toBe(fileKey('https://x/api', 'id'));
    expect(fileKey('https://x/api', 'id')).not.toBe(fileKey('https://x/ap', 'iid'));
  });
});

describe('withFileLock', () => {
  it('runs tasks on one lock one after another, and releases after a failure', async () => {
    const lock = path.join(fresh(), 'a.lock');
    const steps = await timeline([
      async (step) =>
        withFileLock(lock, async () => {
          step('first start');
          await pause(60);
          step('first end');
        }),
      async (step) => {
        await pause(10);
        await withFileLock(lock, async () => {
          step('second start');
          throw new Error('task failed');
        }).catch(() => step('second failed'));
        await withFileLock(lock, async () => step('third'));
      },
    ]);
    expect(steps).toEqual(['first start', 'first end', 'second start', 'second failed', 'third']);
  });

  it('gives up after waitMs when the lock stays taken', async () => {
    const lock = path.join(fresh(), 'b.lock');
    const holder = withFileLock(lock, () => pause(400));
    await pause(20);
    const started = Date.now();
    await expect(withFileLock(lock, async () => 'never', { waitMs: 100 })).rejects.toMatchObject({
      code: 'ELOCKED',
    });
    expect(Date.now() - started).toBeLessThan(350);
    await holder;
  });

  it('throws the caller’s own error when the lock stays taken', async () => {
    const lock = path.join(fresh(), 'c.lock');
    const busy = (cause: unknown) => new Error('busy elsewhere', { cause });
    const holder = withFileLock(lock, () => pause(300));
    await pause(20);
    const failure = await withFileLock(lock, async () => 'never', { waitMs: 50, busy }).catch(
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('busy elsewhere');
    expect(((failure as Error).cause as { code: string }).code).toBe('ELOCKED');
    await holder;
  });
});

describe('withAccountLock', () => {
  const settings = () => ({ StateDir: fresh(), BaseUrl: 'https://tenant.example/rest' });

  it('serialises writes to one account, whatever the case of its username', async () => {
    const s = settings();
    const steps = await timeline([
      (step) =>
        withAccountLock(s, 'J.Jansen@Example.nl', async () => {
          step('a start');
          await pause(50);
          step('a end');
        }),
      async (step) => {
        await pause(10);
        await withAccountLock(s, 'j.jansen@example.nl', async () => step('b'));
      },
    ]);
    expect(steps).toEqual(['a start', 'a end', 'b']);
  });

  it('lets different accounts proceed at the same time', async () => {
    const s = settings();
    const steps = await timeline([
      (step) =>
        withAccountLock(s, 'one', async () => {
          step('one start');
          await pause(80);
          step('one end');
        }),
      async (step) => {
        await pause(10);
        await withAccountLock(s, 'two', async () => step('two'));
      },
    ]);
    expect(steps).toEqual(['one start', 'two', 'one end']);
  });
});
