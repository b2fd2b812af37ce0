/**
 * The simulator's request handling, written once as a function from a Fetch `Request` to a
 * `Response`. The node:http server and the msw handler are thin adapters around it.
 */
import { randomBytes } from 'node:crypto';
import { log } from '../log.js';
import { TokenRegistry, type Credentials } from './auth.js';
import { todayIn } from './dates.js';
import { generateTenant } from './generate.js';
import {
  isResetConnection,
  json,
  jsonText,
  pause,
  Rejection,
  rejectWith,
  resetConnection,
} from './http.js';
import { matchRoute, ROUTES, TOKEN_TEMPLATE, type RouteMatch } from './routes.js';
import { parseTenantData, Tenant, type TenantData } from './tenant.js';
import {
  ConcurrencyLimit,
  FaultPlan,
  TrafficCounter,
  type FaultKind,
  type SimulatorStats,
} from './traffic.js';

export interface SimulatorOptions {
  /** Tenant JSON (the `--data` format) to serve instead of a generated tenant. */
  data?: unknown;
  /** Seed of the generated tenant and of the fault sequence (default 1). */
  seed?: number;
  /** People in the generated tenant (default 200). */
  users?: number;
  /** Roster days after today in the generated tenant (default 14); yesterday is included too. */
  days?: number;
  /** The `yyyy-MM-dd` date rosters are generated around (default: today in Europe/Amsterdam). */
  today?: string;
  /** Milliseconds added to every API response. */
  latency?: number;
  /** Share (0 to 1) of API requests other than token requests that fail transiently. */
  faultRate?: number;
  /** Token lifetime in seconds (default 3600). */
  tokenTtl?: number;
  /** Requests in flight per client before 429; unlimited when undefined. */
  maxConcurrent?: number;
  /** The one client's credentials; the secret is random when not given. */
  clientId?: string;
  clientSecret?: string;
  /** How long the "slower than the client's timeout" fault waits (default 30 000 ms). */
  slowResponseMs?: number;
  /** The clock, in epoch milliseconds, for token expiry (tests move it). */
  now?: () => number;
}

export interface Simulator {
  /** Answers one request; a reset connection comes back as `Response.error()`. */
  handle(request: Request): Promise<Response>;
  /** The tenant as JSON data, the format `--data` reads. */
  state(): TenantData;
  stats(): SimulatorStats;
  readonly credentials: Credentials;
  readonly tenant: Tenant;
  /** Ends pending delays (slow faults, latency) so that servers can close at once. */
  close(): void;
}

export const DEFAULT_CLIENT_ID = 'inplanning-simulator';
const SIM_PREFIX = '/_sim';

/** Creates a simulator with its tenant, tokens, limits and faults. */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const seed = options.seed ?? 1;
  const tenant = new Tenant(loadTenant(options, seed));
  const credentials: Credentials = {
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? randomBytes(18).toString('base64url'),
  };
  const tokens = new TokenRegistry(credentials, options.tokenTtl ?? 3600, options.now ?? Date.now);
  const counter = new TrafficCounter();
  const limit = new ConcurrencyLimit(options.maxConcurrent);
  const faults = new FaultPlan(options.faultRate ?? 0, seed);
  const closing = new AbortController();
  const latency = options.latency ?? 0;
  const slowMs = options.slowResponseMs ?? 30_000;

  const signalOf = (request: Request) => AbortSignal.any([request.signal, closing.signal]);

  /** Routes, authenticates, limits and faults one API request; latency is added by the caller. */
  async function respond(request: Request, route: RouteMatch, lease: Lease): Promise<Response> {
    if (route.template === TOKEN_TEMPLATE) return grantToken(request, tokens);
    const fault = faults.draw();
    if (fault) counter.faults[fault] += 1;
    if (fault && fault !== 'slow') return faultResponse(fault);

    const client = tokens.authenticate(request.headers.get('authorization'));
    lease.release = acquireCounted(limit, counter, client);
    if (fault === 'slow' && !(await pause(slowMs, signalOf(request)))) return resetConnection();

    const handler = ROUTES[route.template]?.[request.method];
    if (!handler) throw methodNotAllowed(Object.keys(ROUTES[route.template] ?? {}));
    const url = new URL(request.url);
    return handler({ request, url, params: route.params, tenant });
  }

  async function handleApi(request: Request, pathname: string): Promise<Response> {
    const route = matchApiPath(pathname);
    counter.count(`${request.method} ${route?.template ?? '/{unknown}'}`);
    counter.enter();
    const lease: Lease = { release: () => {} };
    try {
      const response = await answer(() => {
        if (!route) throw rejectWith(404, `There is no resource at ${pathname}.`);
        return respond(request, route, lease);
      });
      if (latency <= 0 || isResetConnection(response)) return response;
      // Latency is spent while the client's slot is still taken, as a slow server would.
      return (await pause(latency, signalOf(request))) ? response : resetConnection();
    } finally {
      lease.release();
      counter.leave();
    }
  }

  const simulator: Simulator = {
    credentials,
    tenant,
    async handle(request) {
      const pathname = new URL(request.url).pathname;
      if (pathname === SIM_PREFIX || pathname.startsWith(`${SIM_PREFIX}/`)) {
        return answer(() => control(request, pathname, simulator));
      }
      return handleApi(request, pathname);
    },
    state: () => tenant.snapshot(),
    stats: () => counter.snapshot(tokens.issued),
    close: () => closing.abort(),
  };
  return simulator;
}

interface Lease {
  release: () => void;
}

function loadTenant(options: SimulatorOptions, seed: number): TenantData {
  if (options.data !== undefined) return parseTenantData(options.data);
  return generateTenant({
    seed,
    users: options.users ?? 200,
    days: options.days ?? 14,
    today: options.today ?? todayIn('Europe/Amsterdam'),
  });
}

/** The API path below the first `/api/`, whatever prefix the base URL has. */
function matchApiPath(pathname: string): RouteMatch | undefined {
  const at = pathname.indexOf('/api/');
  return at < 0 ? undefined : matchRoute(pathname.slice(at + '/api'.length));
}

/** Runs a step and turns a Rejection into its response, any other error into a 500. */
async function answer(step: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof Rejection) return json(error.status, error.body, error.headers);
    log().error({ err: error }, 'simulator request failed');
    return json(500, { message: 'Internal server error.' });
  }
}

async function grantToken(request: Request, tokens: TokenRegistry): Promise<Response> {
  if (request.method !== 'POST') throw methodNotAllowed(['POST']);
  const form = new URLSearchParams(await request.text());
  return json(200, tokens.grant(request.headers.get('authorization'), form));
}

function acquireCounted(limit: ConcurrencyLimit, counter: TrafficCounter, client: string) {
  try {
    return limit.acquire(client);
  } catch (error) {
    counter.throttled += 1;
    throw error;
  }
}

function methodNotAllowed(allowed: string[]): Rejection {
  return new Rejection(405, { message: 'Method not allowed.' }, { allow: allowed.join(', ') });
}

/** The transient failures: 429 with Retry-After, a gateway's 503 page, or a reset. */
function faultResponse(kind: Exclude<FaultKind, 'slow'>): Response {
  if (kind === 'reset') return resetConnection();
  if (kind === '429') {
    return json(429, { message: 'Too many requests.' }, { 'retry-after': '1' });
  }
  return new Response('<html><body><h1>503 Service Unavailable</h1></body></html>', {
    status: 503,
    headers: { 'content-type': 'text/html' },
  });
}

/** The `/_sim` control endpoints: statistics and the tenant's state. */
function control(request: Request, pathname: string, simulator: Simulator): Response {
  if (request.method !== 'GET') throw methodNotAllowed(['GET']);
  if (pathname === `${SIM_PREFIX}/stats`) return json(200, simulator.stats());
  if (pathname === `${SIM_PREFIX}/state`) return jsonText(200, JSON.stringify(simulator.state()));
  throw rejectWith(404, `There is no resource at ${pathname}.`);
}
