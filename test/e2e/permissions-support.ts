/**
 * Support for the permission end-to-end tests: a small tenant and a catalogue of 40 static
 * permissions with awkward names, the simulator as a child process with a fresh StateDir, and
 * `inplanning target <action>` runs fed through stdin.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OutputContext } from '../../src/context.js';
import type { Role, User } from '../../src/inplanning/schemas.js';
import { assertBuilt, REPO_ROOT, type RunResult, runNode } from '../helpers/cli.js';
import { type RunningSimulator, startSimulator } from '../helpers/simulator.js';

export const USERNAME = 'anne-marie.çelik@zorg.nl';
export const PERMISSION_COUNT = 40;

/** The role and resource group of permission `index`: `&&`, quotes and diacritics included. */
export function pairOf(index: number): { role: string; resourceGroup: string } {
  return { role: `Rôle ${index} && "x"`, resourceGroup: `Groep ${index} 'Zuid' && Crèche` };
}

const ownRoles: Role[] = [
  {
    role: 'Medewerker',
    resourceGroup: 'ZRG',
    exchangeGroup: null,
    shiftGroup: null,
    worklocationGroup: null,
    userGroup: null,
    startDate: '2019-01-01',
    endDate: null,
  },
  {
    role: 'Rôle 0 && "x"',
    resourceGroup: 'ZRG',
    exchangeGroup: 'ZRG',
    shiftGroup: null,
    worklocationGroup: null,
    userGroup: 'Root',
    startDate: '2021-06-01',
    endDate: '2030-12-31',
  },
];

/** The account every test works on, with roles and fields that must survive. */
export const ACCOUNT: User = {
  username: USERNAME,
  firstName: 'Anne-Marie',
  lastName: 'Çelik',
  email: 'anne-marie@zorg.nl',
  active: 'True',
  userGroup: 'Medewerkers',
  resource: '20077',
  displayName: 'Anne-Marie Çelik',
  roles: ownRoles,
};

function tenantData() {
  const groups = [
    { uname: 'ZRG', name: 'Zorg', parent: null },
    ...Array.from({ length: PERMISSION_COUNT }, (_, index) => ({
      uname: pairOf(index).resourceGroup,
      name: `Groep ${index}`,
      parent: 'ZRG',
    })),
  ];
  return { users: [ACCOUNT], humanResources: [], resourceGroups: groups, rosters: {} };
}

function catalogue() {
  const permissions = Array.from({ length: PERMISSION_COUNT }, (_, index) => ({
    reference: `P${index}`,
    displayName: `Permission ${index}`,
    role: { ...pairOf(index), exchangeGroup: 'ZRG', userGroup: 'Root' },
  }));
  permissions.push({
    reference: 'Missing',
    displayName: 'Role in a group that does not exist',
    role: {
      role: 'Planner',
      resourceGroup: 'Bestaat "niet" && nooit',
      exchangeGroup: 'Nergens',
      userGroup: 'Root',
    },
  });
  return { permissions };
}

export interface PermissionSim {
  sim: RunningSimulator;
  catalogueFile: string;
  settingsFile: string;
  account(): Promise<User>;
  /** Requests the simulator counted for `route` (such as `PUT /users`). */
  requests(route: string): Promise<number>;
  /** Runs a target action with the test catalogue (or `catalogue`), the context on stdin. */
  run(
    action: string,
    actionContext: Record<string, unknown>,
    flags?: string[],
    catalogue?: string,
  ): Promise<RunResult>;
  /** Writes a JSON file into the test's temporary folder and returns its path. */
  writeFile(name: string, content: unknown): string;
  stop(): Promise<void>;
}

/** Starts the simulator with the tenant and writes settings with a fresh StateDir. */
export async function startPermissionSim(
  simulatorFlags: string[] = [],
  settings: Record<string, unknown> = {},
): Promise<PermissionSim> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-permissions-e2e-'));
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(content));
    return file;
  };
  const cli = snapshotCli(dir);
  const dataFile = write('tenant.json', tenantData());
  const sim = await startSimulator(['--data', dataFile, ...simulatorFlags]);
  const catalogueFile = write('permissions.json', catalogue());
  const settingsFile = write('settings.json', {
    BaseUrl: sim.info.baseUrl,
    ClientId: sim.info.clientId,
    ClientSecret: sim.info.clientSecret,
    StateDir: path.join(dir, 'state'),
    ...settings,
  });
  return {
    sim,
    catalogueFile,
    settingsFile,
    async account() {
      const response = await fetch(`${sim.origin}/_sim/state`);
      const state = (await response.json()) as { users: User[] };
      const user = state.users.find((item) => item.username === USERNAME);
      if (!user) throw new Error('the account is gone from the simulator');
      return user;
    },
    async requests(route) {
      return (await sim.stats()).requests[route] ?? 0;
    },
    writeFile: write,
    run(action, actionContext, flags = [], catalogue = catalogueFile) {
      const args = ['target', action, '--config', settingsFile, '--context', '-'];
      return runNode(cli, [...args, '--permissions', catalogue, ...flags], {
        stdin: JSON.stringify({ actionContext, personContext: {} }),
        timeoutMs: 60_000,
      });
    },
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A private copy of the built CLI: other work in the same tree may rebuild dist/ while these
 * tests run, and a process must not find its chunks replaced halfway.
 */
function snapshotCli(dir: string): string {
  assertBuilt();
  const root = path.join(dir, 'cli');
  for (const item of ['dist', 'bin', 'package.json']) {
    cpSync(path.join(REPO_ROOT, item), path.join(root, item), { recursive: true });
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return path.join(root, 'bin', 'inplanning.js');
}

/** The context of a grant or revoke of permission `P<index>` on the test account. */
export function permissionContext(operation: string, index: number): Record<string, unknown> {
  return {
    Operation: operation,
    References: { Account: USERNAME, Permission: { Reference: `P${index}` } },
  };
}

/** The outputContext a run printed on stdout. */
export function outputOf(result: RunResult): OutputContext {
  return JSON.parse(result.stdout) as OutputContext;
}

/** Pairs of a list of roles, as sortable text. */
export function pairTexts(roles: readonly Role[] | null | undefined): string[] {
  return (roles ?? []).map((item) => JSON.stringify([item.role, item.resourceGroup])).sort();
}

/** The account without its roles, to compare every other field. */
export function withoutRoles(user: User): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...user };
  delete rest.roles;
  return rest;
}
