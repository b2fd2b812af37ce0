/** Calls a simulator's Fetch handler directly, the way a client would over HTTP. */
import {
  createSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../src/simulator/handler.js';

export const BASE = 'https://tenant.test.rooster.nl/InPlanningService/rest';
export const ADMIN_BASE = 'https://tenant.test.rooster.nl/InPlanningServiceAdmin/rest/api';
export const SECRET = 'sim-secret-123';
export const TODAY = '2026-03-28';

/** A small generated tenant with known credentials and a fixed date. */
export function simulator(options: SimulatorOptions = {}): Simulator {
  return createSimulator({ users: 120, today: TODAY, days: 7, clientSecret: SECRET, ...options });
}

/** A token through the form-credentials variant. */
export async function formToken(sim: Simulator, secret = SECRET): Promise<Response> {
  const body = new URLSearchParams({
    client_id: sim.credentials.clientId,
    client_secret: secret,
    grant_type: 'client_credentials',
  });
  return sim.handle(new Request(`${BASE}/api/token`, { method: 'POST', body }));
}

/** A token through the Basic variant of the admin service. */
export async function basicToken(sim: Simulator, secret = SECRET): Promise<Response> {
  const basic = Buffer.from(`${sim.credentials.clientId}:${secret}`).toString('base64');
  return sim.handle(
    new Request(`${ADMIN_BASE}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    }),
  );
}

export async function accessToken(sim: Simulator): Promise<string> {
  const response = await formToken(sim);
  const grant = (await response.json()) as { access_token: string };
  return grant.access_token;
}

export interface CallOptions {
  token: string;
  method?: string;
  body?: unknown;
  base?: string;
}

/** One API call below `/api` with a bearer token. */
export function call(sim: Simulator, path: string, options: CallOptions): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json',
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return sim.handle(
    new Request(`${options.base ?? `${BASE}/api`}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
  );
}

/** The status and the parsed JSON body of a response. */
export async function read<T = unknown>(response: Response): Promise<{ status: number; body: T }> {
  return { status: response.status, body: (await response.json()) as T };
}
