/**
 * The 40-way grant against a simulator that fails a fifth of the API requests (429, 503, resets
 * and answers slower than the client's timeout): every grant still lands, nothing else changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentences } from '../helpers/cli.js';
import {
  ACCOUNT,
  outputOf,
  PERMISSION_COUNT,
  pairOf,
  pairTexts,
  permissionContext,
  type PermissionSim,
  startPermissionSim,
  withoutRoles,
} from './permissions-support.js';

const indexes = [...Array(PERMISSION_COUNT).keys()];
let sim: PermissionSim;

beforeAll(async () => {
  // A one-second timeout keeps the "slow answer" fault from eating the action's time.
  sim = await startPermissionSim(['--fault-rate', '0.2', '--seed', '7'], {
    RequestTimeoutSeconds: 1,
    MaxRetries: 8,
  });
});
afterAll(async () => {
  await sim?.stop();
});

describe('40 concurrent grants with 20% of requests failing', () => {
  it('end with all 40 on the account and every other role and field unchanged', async () => {
    const results = await Promise.all(
      indexes.map((index) => sim.run('grant', permissionContext('grant', index))),
    );

    const outcomes = results.map((result) =>
      result.code === 0 && outputOf(result).Success
        ? 'ok'
        : `exit ${result.code}: ${result.stdout} ${sentences(result.stderr)}`,
    );
    expect(outcomes).toEqual(indexes.map(() => 'ok'));
    const account = await sim.account();
    const expected = indexes.map((index) => JSON.stringify(Object.values(pairOf(index))));
    expect(pairTexts(account.roles)).toEqual([...pairTexts(ACCOUNT.roles), ...expected].sort());
    expect(account.roles?.slice(0, ACCOUNT.roles?.length)).toEqual(ACCOUNT.roles);
    expect(withoutRoles(account)).toEqual(withoutRoles(ACCOUNT));
    const stats = await sim.sim.stats();
    expect(Object.values(stats.faults as Record<string, number>).some((count) => count > 0)).toBe(
      true,
    );
  }, 300_000);
});
