/**
 * Grants and revokes through the built CLI against the simulator: 40 processes at once on one
 * account, three rounds, then an update and a grant at the same time, and a preview that finds
 * a missing group.
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
  USERNAME,
  withoutRoles,
} from './permissions-support.js';

const ROUNDS = 3;

interface ImportRow {
  PermissionReference: { Reference: string };
  AccountReferences: string[];
}
const indexes = [...Array(PERMISSION_COUNT).keys()];
let sim: PermissionSim;

beforeAll(async () => {
  sim = await startPermissionSim();
});
afterAll(async () => {
  await sim?.stop();
});

/** Runs the operation for every permission at once; a failure shows its stdout and stderr. */
async function runAll(operation: 'grant' | 'revoke') {
  const results = await Promise.all(
    indexes.map((index) => sim.run(operation, permissionContext(operation, index))),
  );
  return results.map((result) =>
    result.code === 0 ? 'ok' : `exit ${result.code}: ${result.stdout} ${sentences(result.stderr)}`,
  );
}

describe('40 concurrent processes on one account', () => {
  it(`grant all 40 and revoke exactly those 40, ${ROUNDS} rounds`, async () => {
    const granted = [...pairTexts(ACCOUNT.roles), ...indexes.map((index) => pairText(index))];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const grants = await runAll('grant');
      expect(grants, `round ${round} grants`).toEqual(indexes.map(() => 'ok'));
      const afterGrants = await sim.account();
      expect(pairTexts(afterGrants.roles)).toEqual(granted.sort());
      expect(withoutRoles(afterGrants)).toEqual(withoutRoles(ACCOUNT));
      expect(afterGrants.roles?.slice(0, 2)).toEqual(ACCOUNT.roles);

      const revokes = await runAll('revoke');
      expect(revokes, `round ${round} revokes`).toEqual(indexes.map(() => 'ok'));
      expect(await sim.account()).toEqual(ACCOUNT);
    }
  }, 600_000);

  it('an update and a grant at the same time both take effect', async () => {
    const update = {
      Operation: 'update',
      References: { Account: USERNAME },
      Data: { firstName: 'Anne-Marié', email: 'a.celik@zorg.nl' },
    };
    const [updated, granted] = await Promise.all([
      sim.run('update', update),
      sim.run('grant', permissionContext('grant', 7)),
    ]);

    expect([updated.code, granted.code]).toEqual([0, 0]);
    const account = await sim.account();
    expect(account.firstName).toBe('Anne-Marié');
    expect(account.email).toBe('a.celik@zorg.nl');
    expect(pairTexts(account.roles)).toEqual([...pairTexts(ACCOUNT.roles), pairText(7)].sort());
  }, 60_000);
});

describe('preview of a grant', () => {
  it('reports a resource group that does not exist and writes nothing', async () => {
    const before = await sim.account();
    const putsBefore = await sim.requests('PUT /users');
    const result = await sim.run(
      'grant',
      { References: { Account: USERNAME, Permission: { Reference: 'Missing' } } },
      ['--preview'],
    );

    expect(result.code).toBe(1);
    const output = outputOf(result);
    expect(output.Success).toBe(false);
    expect(output.AuditLogs.filter((log) => log.IsError).map((log) => log.Message)).toEqual([
      'Preview: The resourceGroup "Bestaat "niet" && nooit" of role "Planner" does not exist ' +
        'in InPlanning; the grant would be refused.',
      'Preview: The exchangeGroup "Nergens" of role "Planner" does not exist in InPlanning; ' +
        'the grant would be refused.',
    ]);
    expect(await sim.requests('PUT /users')).toBe(putsBefore);
    expect(await sim.account()).toEqual(before);
  });
});

describe('the catalogue through the CLI', () => {
  it('lists the permissions and imports who holds them', async () => {
    const listed = await sim.run('permissions', {});
    expect(listed.code).toBe(0);
    expect(outputOf(listed).Permissions).toHaveLength(PERMISSION_COUNT + 1);

    const imported = await sim.run('import-permissions', {}, ['--format', 'json']);
    expect(imported.code).toBe(0);
    const rows = JSON.parse(imported.stdout) as ImportRow[];
    expect(rows).toHaveLength(PERMISSION_COUNT + 1);
    const held = pairTexts((await sim.account()).roles);
    const holding = indexes.filter((index) => held.includes(pairText(index)));
    expect(
      rows
        .filter((row) => row.AccountReferences.includes(USERNAME))
        .map((row) => row.PermissionReference.Reference),
    ).toEqual(holding.map((index) => `P${index}`));
  });

  it('exits 2, naming the placeholder, before sending anything', async () => {
    const bad = sim.writeFile('bad.json', {
      permissions: [{ reference: 'P0', role: { role: 'Planner', resourceGroup: '{{Afd}}' } }],
    });
    const before = await sim.sim.stats();
    const result = await sim.run('grant', permissionContext('grant', 0), [], bad);

    expect(result.code).toBe(2);
    expect(outputOf(result).Success).toBe(false);
    expect(sentences(result.stderr).join(' ')).toContain('{{Afd}} without a lookup');
    expect((await sim.sim.stats()).requests).toEqual(before.requests);
  });
});

function pairText(index: number): string {
  const pair = pairOf(index);
  return JSON.stringify([pair.role, pair.resourceGroup]);
}
