/** Shared pieces of the msw tests of the InPlanning client. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { type ConnectionSettings, loadSettings, requireConnection } from '../../src/config.js';

/** A base URL of the service variant (resources under {base}/api). */
export const REST_BASE = 'https://tenant.test.rooster.nl/InPlanningService/rest';
/** A base URL of the admin variant (already ending in /api). */
export const API_BASE = 'https://tenant.test.rooster.nl/InPlanningServiceAdmin/rest/api';
/** The API root under REST_BASE. */
export const ROOT = `${REST_BASE}/api`;

export const CLIENT_ID = 'helloid';
export const CLIENT_SECRET = 'sëcret+/=&';

const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'inplanning-client-test-'));

/** A fresh StateDir, so no test sees another's token cache. */
export function freshStateDir(): string {
  return mkdtempSync(path.join(tempRoot, 'state-'));
}

/** Validated settings with small retry numbers, so failing tests stay fast. */
export function testSettings(overrides: Record<string, unknown> = {}): ConnectionSettings {
  return requireConnection(
    loadSettings({
      fromContext: {
        BaseUrl: REST_BASE,
        ClientId: CLIENT_ID,
        ClientSecret: CLIENT_SECRET,
        MaxRetries: 2,
        RequestTimeoutSeconds: 2,
        DeadlineSeconds: 10,
        StateDir: freshStateDir(),
        ...overrides,
      },
      env: {},
    }),
  );
}

/** A token endpoint handing out tok-1, tok-2, ... with the given lifetime. */
export function tokenEndpoint(url = `${ROOT}/token`, expiresIn = 3600) {
  let issued = 0;
  const handler = http.post(url, () => {
    issued += 1;
    return HttpResponse.json({
      access_token: `tok-${issued}`,
      token_type: 'bearer',
      expires_in: expiresIn,
    });
  });
  return { handler, issued: () => issued };
}

/** A minimal valid user. */
export function user(username: string, extra: Record<string, unknown> = {}) {
  return { username, firstName: 'Jan', lastName: 'Jansen', active: true, roles: [], ...extra };
}

/** Awaits a promise that must fail and returns what it threw. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
