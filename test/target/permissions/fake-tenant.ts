/**
 * An msw fake of the InPlanning endpoints the permission actions use: users (one, all, PUT) and
 * resource groups. It records every request below the API root and can answer PUTs in ways a
 * real tenant might (ignore the write once, delay answers to let actions overlap).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import type { ConnectionSettings } from '../../../src/config.js';
import type { ResourceGroup, Role, User } from '../../../src/inplanning/schemas.js';
import type { TargetInput } from '../../../src/target/types.js';
import {
  API,
  fakeTenantSettings,
  notFound,
  type SentRequest,
  tempDir as tempFolder,
  targetInput,
} from '../../helpers/target-input.js';

export { BASE_URL, outputOf, rowsOf, type SentRequest } from '../../helpers/target-input.js';

export interface PermissionTenant {
  server: SetupServer;
  users: Map<string, User>;
  groups: ResourceGroup[];
  sent: SentRequest[];
  /** PUTs to answer 200 without storing anything (a lost write). */
  ignorePuts: number;
  /** Milliseconds each /users answer waits, so that concurrent actions overlap. */
  latencyMs: number;
  puts(): unknown[];
  writes(): SentRequest[];
}

/** The fake holding copies of `users` and the resource groups `groups` (not yet listening). */
export function permissionTenant(users: User[], groups: ResourceGroup[] = []): PermissionTenant {
  const tenant: PermissionTenant = {
    server: undefined as unknown as SetupServer,
    users: new Map(users.map((user) => [user.username, structuredClone(user)])),
    groups,
    sent: [],
    ignorePuts: 0,
    latencyMs: 0,
    puts: () => tenant.sent.filter((item) => item.method === 'PUT').map((item) => item.body),
    writes: () => tenant.sent.filter((item) => item.method !== 'GET'),
  };
  tenant.server = setupServer(
    http.post(`${API}/token`, () =>
      HttpResponse.json({
        access_token: 'permission-token',
        token_type: 'bearer',
        expires_in: 3600,
      }),
    ),
    http.get(`${API}/v2/resourcegroups`, ({ request }) => {
      record(tenant, request, undefined);
      return HttpResponse.json(tenant.groups);
    }),
    http.all(`${API}/users*`, ({ request }) => handleUsers(tenant, request)),
  );
  return tenant;
}

function record(tenant: PermissionTenant, request: Request, body: unknown): void {
  const url = new URL(request.url);
  const below = url.pathname.slice(new URL(API).pathname.length) + url.search;
  tenant.sent.push({ method: request.method, path: below, body });
}

async function handleUsers(tenant: PermissionTenant, request: Request): Promise<Response> {
  const text = await request.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  record(tenant, request, body);
  if (tenant.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, tenant.latencyMs));
  const pathname = new URL(request.url).pathname.slice(new URL(API).pathname.length);
  if (request.method === 'GET' && pathname === '/users') {
    return HttpResponse.json([...tenant.users.values()]);
  }
  if (request.method === 'GET') {
    const user = tenant.users.get(decodeURIComponent(pathname.slice('/users/'.length)));
    return user ? HttpResponse.json(user) : notFound();
  }
  if (request.method === 'PUT') {
    const user = body as User;
    if (!tenant.users.has(user.username)) return notFound();
    if (tenant.ignorePuts > 0) {
      tenant.ignorePuts -= 1;
      return HttpResponse.json(user);
    }
    tenant.users.set(user.username, structuredClone(user));
    return HttpResponse.json(user);
  }
  return HttpResponse.json({ message: 'not allowed' }, { status: 405 });
}

/** A temporary folder for the StateDir and catalogue files of one test file. */
export function tempDir(): { dir: string; remove: () => void } {
  return tempFolder('permissions');
}

/** Writes a catalogue to a file in `dir` and returns its path. */
export function writeCatalogue(dir: string, catalogue: unknown, name = 'permissions.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof catalogue === 'string' ? catalogue : JSON.stringify(catalogue));
  return file;
}

/** Settings pointing at the fake, with few and quick retries. */
export function testSettings(
  stateDir: string,
  extra: Record<string, unknown> = {},
): ConnectionSettings {
  return fakeTenantSettings(stateDir, { TimeZone: 'Europe/Amsterdam', ...extra });
}

/** An action's input from an actionContext written as the engine would. */
export function actionInput(
  settings: ConnectionSettings,
  permissionsFile: string | undefined,
  actionContext: Record<string, unknown>,
  options: { dryRun?: boolean; personContext?: Record<string, unknown> } = {},
): TargetInput {
  return targetInput(settings, actionContext, { ...options, permissionsFile });
}

/** A role assignment with every field InPlanning sends. */
export function role(name: string, resourceGroup: string | null, extra: Partial<Role> = {}): Role {
  return {
    role: name,
    resourceGroup,
    exchangeGroup: null,
    shiftGroup: null,
    worklocationGroup: null,
    userGroup: null,
    startDate: '2020-01-01',
    endDate: null,
    ...extra,
  };
}
