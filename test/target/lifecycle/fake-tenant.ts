/**
 * An msw fake of InPlanning's user endpoints for the lifecycle unit tests: it keeps users in a
 * map, records every request to /users (method, encoded path, JSON body), and can be told to
 * fail the next matching requests in ways that leave their effect unknown.
 */
import { http, HttpResponse } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import type { ConnectionSettings } from '../../../src/config.js';
import type { User } from '../../../src/inplanning/schemas.js';
import {
  API,
  fakeTenantSettings,
  notFound,
  type SentRequest,
  tempDir,
  targetInput,
} from '../../helpers/target-input.js';

export { BASE_URL, ORIGIN, outputOf, type SentRequest } from '../../helpers/target-input.js';

/**
 * A planned failure of the next request matching `method`: `503` answers 503 without applying
 * it; `applied-503` applies it, then answers 503 (its effect is unknown to the caller).
 */
export interface Fault {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  kind: '503' | 'applied-503' | 'reset';
}

export interface FakeTenant {
  server: SetupServer;
  users: Map<string, User>;
  sent: SentRequest[];
  faults: Fault[];
  /** How DELETE /users/{username} answers: 200 (deleted) or 405 (not supported). */
  deleteStatus: 200 | 405;
  /** Milliseconds every /users answer is delayed (to let concurrent actions overlap). */
  latencyMs: number;
  /** Requests other than GET. */
  writes(): SentRequest[];
}

/** Creates the fake (not yet listening) holding copies of `users`. */
export function fakeTenant(users: User[] = []): FakeTenant {
  const tenant: FakeTenant = {
    server: undefined as unknown as SetupServer,
    users: new Map(users.map((user) => [user.username, structuredClone(user)])),
    sent: [],
    faults: [],
    deleteStatus: 405,
    latencyMs: 0,
    writes: () => tenant.sent.filter((request) => request.method !== 'GET'),
  };
  tenant.server = setupServer(
    http.post(`${API}/token`, () =>
      HttpResponse.json({
        access_token: 'unit-test-token',
        token_type: 'bearer',
        expires_in: 3600,
      }),
    ),
    http.all(`${API}/users*`, async ({ request }) => handleUsers(tenant, request)),
  );
  return tenant;
}

async function handleUsers(tenant: FakeTenant, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const rawPath = url.pathname.slice(new URL(API).pathname.length);
  const text = await request.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  const method = request.method;
  tenant.sent.push({ method, path: `${rawPath}${url.search}`, body });
  if (tenant.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, tenant.latencyMs));

  const faultAt = tenant.faults.findIndex((fault) => fault.method === method);
  const fault = faultAt >= 0 ? tenant.faults.splice(faultAt, 1)[0] : undefined;
  if (fault?.kind === '503') return HttpResponse.json({ message: 'busy' }, { status: 503 });
  if (fault?.kind === 'reset') return HttpResponse.error();

  const answer = applyUsers(tenant, method, rawPath, body);
  if (fault?.kind === 'applied-503') return HttpResponse.json({ message: 'late' }, { status: 503 });
  return answer;
}

function applyUsers(tenant: FakeTenant, method: string, rawPath: string, body: unknown) {
  const username = rawPath.startsWith('/users/')
    ? decodeURIComponent(rawPath.slice('/users/'.length))
    : undefined;
  if (method === 'GET' && username === undefined)
    return HttpResponse.json([...tenant.users.values()]);
  if (method === 'GET') {
    const user = tenant.users.get(username ?? '');
    return user ? HttpResponse.json(user) : notFound();
  }
  const user = body as User;
  if (method === 'POST') {
    if (tenant.users.has(user.username)) {
      return HttpResponse.json(
        { message: 'A user with this username already exists.' },
        { status: 400 },
      );
    }
    tenant.users.set(user.username, user);
    return HttpResponse.json(user);
  }
  if (method === 'PUT') {
    if (!tenant.users.has(user.username)) return notFound();
    tenant.users.set(user.username, user);
    return HttpResponse.json(user);
  }
  if (tenant.deleteStatus === 405) return HttpResponse.json({ message: 'no' }, { status: 405 });
  tenant.users.delete(username ?? '');
  return new HttpResponse(null, { status: 200 });
}

/** A fresh StateDir for one test file, and a function that removes it. */
export function tempStateDir(): { dir: string; remove: () => void } {
  return tempDir('lifecycle');
}

/** Settings pointing at the fake, with few and quick retries. */
export function testSettings(stateDir: string): ConnectionSettings {
  return fakeTenantSettings(stateDir);
}

/** Builds an action's input from an actionContext written as the engine would (any casing). */
export const actionInput = targetInput;
