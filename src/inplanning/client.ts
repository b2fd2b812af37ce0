/**
 * The InPlanning client: typed calls over the retrying transport, with the shared token,
 * URL-encoded paths and queries, and every response validated by its schema.
 */
import pLimit from 'p-limit';
import * as z from 'zod';
import type { ConnectionSettings } from '../config.js';
import { AuthenticationError, InvalidResponseError, NotFoundError } from '../errors.js';
import { registerSecret } from '../log.js';
import {
  classify,
  type HttpAnswer,
  type HttpRequest,
  HttpTransport,
  messageOf,
  tokenErrorOf,
} from './http.js';
import {
  type GroupRoster,
  groupRosterSchema,
  type HumanResource,
  humanResourceSchema,
  type ResourceGroup,
  resourceGroupSchema,
  type ResourceRoster,
  resourceRosterSchema,
  tokenResponseSchema,
  type User,
  userSchema,
} from './schemas.js';
import { TokenSource } from './token.js';
import type { InPlanningClient } from './types.js';

/** The API root: a base URL ending in /api is used as is, one ending in /rest gets /api. */
export function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/api$/i.test(trimmed) ? trimmed : `${trimmed}/api`;
}

type Query = Record<string, string>;

/** How many refused tokens one call replaces before it reports an authentication error. */
const MAX_TOKEN_REFUSALS = 4;

export class HttpInPlanningClient implements InPlanningClient {
  private readonly root: string;
  private readonly transport: HttpTransport;
  private readonly tokens: TokenSource;
  readonly limit: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(private readonly settings: ConnectionSettings) {
    registerSecret(settings.ClientSecret);
    this.root = apiRoot(settings.BaseUrl);
    this.transport = new HttpTransport({
      timeoutMs: settings.RequestTimeoutSeconds * 1000,
      maxRetries: settings.MaxRetries,
      deadlineMs: settings.DeadlineSeconds * 1000,
      maxSockets: Math.max(settings.Concurrency, 4),
    });
    this.tokens = new TokenSource({
      stateDir: settings.StateDir,
      baseUrl: this.root,
      clientId: settings.ClientId,
      fetchToken: () => this.fetchToken(),
    });
    const limiter = pLimit(settings.Concurrency);
    this.limit = (task) => limiter(task);
  }

  get requestCount(): number {
    return this.transport.sent;
  }

  async getUser(username: string): Promise<User> {
    return this.call('GET', ['users', username], userSchema);
  }

  async findUser(username: string): Promise<User | undefined> {
    try {
      return await this.getUser(username);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async listUsers(): Promise<User[]> {
    return this.call('GET', ['users'], z.array(userSchema), { query: { limit: '0' } });
  }

  async createUser(user: User): Promise<User> {
    return this.call('POST', ['users'], userSchema, { body: user, idempotent: false });
  }

  async replaceUser(user: User): Promise<User> {
    return this.call('PUT', ['users'], userSchema.or(z.unknown().transform(() => user)), {
      body: user,
    });
  }

  async deleteUser(username: string): Promise<void> {
    await this.call('DELETE', ['users', username], z.unknown());
  }

  async listHumanResources(): Promise<HumanResource[]> {
    return this.call('GET', ['humanresources'], z.array(humanResourceSchema), {
      query: { limit: '0' },
    });
  }

  async listResourceGroups(): Promise<ResourceGroup[]> {
    const tree = await this.call('GET', ['v2', 'resourcegroups'], z.array(resourceGroupSchema));
    return flattenGroups(tree, null);
  }

  async getResourceRoster(resource: string, startDate: string, endDate: string) {
    const query = { resource, startDate, endDate };
    return this.call<ResourceRoster>('GET', ['roster', 'resourceRoster'], resourceRosterSchema, {
      query,
    });
  }

  async getGroupRoster(resourceGroup: string, startDate: string, endDate: string) {
    const query = { resourceGroup, startDate, endDate };
    return this.call<GroupRoster>('GET', ['roster', 'groupRoster'], groupRosterSchema, { query });
  }

  /**
   * One authenticated call. A refused token is replaced by a newer one another process cached,
   * or else refreshed (once per call), and the call is repeated. The deadline covers the call
   * as a whole, the repeats included.
   */
  private async call<T>(
    method: HttpRequest['method'],
    segments: string[],
    schema: z.ZodType<T>,
    extra: { query?: Query; body?: unknown; idempotent?: boolean } = {},
  ): Promise<T> {
    const request = this.request(method, segments, extra);
    const deadline = this.transport.deadlineFromNow();
    let token = await this.tokens.get();
    let answer = await this.transport.send(withBearer(request, token), deadline);
    let refreshed = false;
    // Under load a call can outlive two tokens: the one it started with and the one it found
    // in the cache. Following newer tokens is safe; refreshing again would fight other processes.
    for (let refusals = 1; isTokenRefusal(answer) && refusals <= MAX_TOKEN_REFUSALS; refusals++) {
      const newer = await this.tokens.newer(token);
      if (newer === undefined && refreshed) break;
      token = newer ?? (await this.tokens.replace(token));
      refreshed ||= newer === undefined;
      answer = await this.transport.send(withBearer(request, token), deadline);
    }
    if (answer.status < 200 || answer.status >= 300) throw classify(request, answer);
    return parseWith(schema, answer.body, request);
  }

  private request(
    method: HttpRequest['method'],
    segments: string[],
    extra: { query?: Query; body?: unknown; idempotent?: boolean },
  ): HttpRequest {
    const path = `/${segments.map(encodeURIComponent).join('/')}`;
    const search = extra.query ? `?${encodeQuery(extra.query)}` : '';
    const hasBody = extra.body !== undefined;
    return {
      method,
      url: `${this.root}${path}${search}`,
      path,
      idempotent: extra.idempotent ?? true,
      headers: hasBody ? { 'Content-Type': 'application/json' } : {},
      ...(hasBody ? { body: JSON.stringify(extra.body) } : {}),
    };
  }

  private async fetchToken(): Promise<{ token: string; expiresIn: number }> {
    const { ClientId: id, ClientSecret: secret, AuthMethod: method } = this.settings;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    if (method === 'basic') {
      headers.Authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    } else {
      form.set('client_id', id);
      form.set('client_secret', secret);
    }
    const request: HttpRequest = {
      method: 'POST',
      url: `${this.root}/token`,
      path: '/token',
      headers,
      body: form.toString(),
      idempotent: true,
    };
    const answer = await this.transport.send(request);
    // A token endpoint that is down is not a sign of wrong credentials.
    if (answer.status >= 500) throw classify(request, answer);
    if (answer.status < 200 || answer.status >= 300) {
      const reason =
        tokenErrorOf(answer.body) ?? (messageOf(answer.body) || `HTTP ${answer.status}`);
      throw new AuthenticationError(
        `InPlanning refused to issue a token (${reason}).`,
        { method: 'POST', path: '/token', status: answer.status },
        { suggestion: 'Check ClientId, ClientSecret, AuthMethod and BaseUrl.' },
      );
    }
    const parsed = parseWith(tokenResponseSchema, answer.body, request);
    registerSecret(parsed.access_token);
    return { token: parsed.access_token, expiresIn: parsed.expires_in ?? 3600 };
  }
}

/** `key=value&...` with every key and value percent-encoded (a space as %20, not +). */
function encodeQuery(query: Query): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

function withBearer(request: HttpRequest, token: string): HttpRequest {
  return { ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } };
}

function isTokenRefusal(answer: HttpAnswer): boolean {
  const error = tokenErrorOf(answer.body);
  return answer.status === 401 || error === 'invalid_token' || error === 'token_expired';
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown, request: HttpRequest): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  const call = `${request.method} ${request.path}`;
  throw new InvalidResponseError(
    `InPlanning answered ${call} with an unexpected shape${where}: ${issue?.message}.`,
    { method: request.method, path: request.path },
    { cause: result.error },
  );
}

function flattenGroups(groups: ResourceGroup[], parent: string | null): ResourceGroup[] {
  const out: ResourceGroup[] = [];
  for (const group of groups) {
    const { children, ...rest } = group;
    out.push({ ...rest, parent: rest.parent ?? parent });
    if (children?.length) out.push(...flattenGroups(children, group.uname));
  }
  return out;
}

/** Creates the client for validated connection settings. */
export function createClient(settings: ConnectionSettings): InPlanningClient {
  return new HttpInPlanningClient(settings);
}
