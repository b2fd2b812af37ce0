import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withAccountLock } from '../../../src/inplanning/account-lock.js';
import type { User } from '../../../src/inplanning/schemas.js';
import { setLogLevel } from '../../../src/log.js';
import { run as grant } from '../../../src/target/grant.js';
import { type Intent, netChange, RoleQueue } from '../../../src/target/permission-queue.js';
import {
  actionInput,
  outputOf,
  permissionTenant,
  role,
  tempDir,
  testSettings,
  writeCatalogue,
} from './fake-tenant.js';

const USERNAME = 'wachtrij@zorg.nl';
const ODD = 'Rol && "één"';
const user: User = { username: USERNAME, lastName: 'Wachtrij', roles: [role('Medewerker', 'ZRG')] };
const catalogue = {
  permissions: [{ reference: 'Odd', role: { role: ODD, resourceGroup: 'ZRG', userGroup: 'Root' } }],
};
const desired = (name: string, group: string) => ({
  role: name,
  resourceGroup: group,
  endDate: null,
});

const temp = tempDir();
const file = writeCatalogue(temp.dir, catalogue);
let tenant = permissionTenant([user]);
let stateDir = '';

beforeAll(() => setLogLevel('silent'));
beforeEach(() => {
  tenant.server.close();
  tenant = permissionTenant([user]);
  tenant.server.listen({ onUnhandledRequest: 'error' });
  stateDir = path.join(temp.dir, `state-${Math.random().toString(16).slice(2)}`);
});
afterAll(() => {
  tenant.server.close();
  temp.remove();
});

function context() {
  return { References: { Account: USERNAME, Permission: { Reference: 'Odd' } } };
}

describe('the net change of several', () => {
  it('keeps, for each pair, the last change that names it', () => {
    const net = netChange([
      { upsert: [desired('A', 'g'), desired('B', 'g')], remove: [] },
      { upsert: [], remove: [{ role: 'A', resourceGroup: 'g' }] },
      { upsert: [{ ...desired('B', 'g'), endDate: '2030-01-01' }], remove: [] },
    ]);
    expect(net).toEqual({
      upsert: [{ ...desired('B', 'g'), endDate: '2030-01-01' }],
      remove: [{ role: 'A', resourceGroup: 'g' }],
    });
  });
});

describe('the queue of role changes', () => {
  it('lets the lock holder apply every waiting change in one write', async () => {
    const settings = testSettings(stateDir);
    const queue = RoleQueue.of(settings, USERNAME);
    const waiting = [
      await queue.submit({ upsert: [desired('Planner', 'ZRG-CAR')], remove: [] }),
      await queue.submit({ upsert: [], remove: [{ role: 'Medewerker', resourceGroup: 'ZRG' }] }),
    ];
    const output = outputOf(await grant(actionInput(settings, file, context())));

    expect(output.Success).toBe(true);
    const puts = tenant.puts() as User[];
    expect(puts).toHaveLength(1);
    expect(puts[0]?.roles?.map((item) => [item.role, item.resourceGroup])).toEqual([
      ['Planner', 'ZRG-CAR'],
      [ODD, 'ZRG'],
    ]);
    expect(await Promise.all(waiting.map((intent) => queue.takeDone(intent)))).toEqual([
      true,
      true,
    ]);
    expect(await queue.pending()).toEqual([]);
  });

  it('never applies a change left behind by a process that gave up long ago', async () => {
    const settings = testSettings(stateDir);
    const dir = path.join(stateDir, 'role-queue');
    const old = {
      created: Date.now() - 60_000,
      change: { upsert: [desired('Oud', 'ZRG')], remove: [] },
    };
    const queue = RoleQueue.of(settings, USERNAME);
    // Submitting and withdrawing creates the account's queue folder.
    await queue.withdraw(await queue.submit({ upsert: [], remove: [] }));
    const [keyDir] = readdirSync(dir);
    writeFileSync(
      path.join(dir, keyDir!, '000000000000001-1-dead.intent.json'),
      JSON.stringify(old),
    );
    await grant(actionInput(settings, file, context()));

    const roles = (tenant.puts()[0] as User).roles?.map((item) => item.role);
    expect(roles).toEqual(['Medewerker', ODD]);
    expect(readdirSync(path.join(dir, keyDir!))).toEqual([]);
  });

  it('answers without writing when another holder applied the change meanwhile', async () => {
    const settings = testSettings(stateDir);
    const queue = RoleQueue.of(settings, USERNAME);
    let seen: Intent[] = [];
    const result = await withAccountLock(settings, USERNAME, async () => {
      const action = grant(actionInput(settings, file, context()));
      for (let tries = 0; tries < 100 && seen.length === 0; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = await queue.pending();
      }
      // Play the other holder: mark the change applied (this fake applies nothing).
      await queue.markDone(seen);
      return action;
    });

    expect(seen).toHaveLength(1);
    expect(seen[0]?.change.upsert.map((item) => item.role)).toEqual([ODD]);
    expect(outputOf(result).Success).toBe(true);
    expect(tenant.writes()).toEqual([]);
  });
});
