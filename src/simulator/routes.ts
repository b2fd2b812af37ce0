/**
 * The API's resources, relative to the `/api` root: how a path maps to a route template, and
 * what each method of each route answers.
 */
import { parseDate } from './dates.js';
import { json, jsonText, rejectWith } from './http.js';
import { daysJson } from './serialize.js';
import { DEFAULT_PAGE_SIZE, type Tenant } from './tenant.js';

export interface RouteCall {
  request: Request;
  url: URL;
  params: Record<string, string>;
  tenant: Tenant;
}

export type RouteHandler = (call: RouteCall) => Response | Promise<Response>;

export interface RouteMatch {
  /** The path template, used for statistics: `/users/{username}`. */
  template: string;
  params: Record<string, string>;
}

/** The template `/token` is the token endpoint; it is handled before authentication. */
export const TOKEN_TEMPLATE = '/token';

const FIXED_PATHS = new Set([
  TOKEN_TEMPLATE,
  '/users',
  '/humanresources',
  '/v2/resourcegroups',
  '/roster/resourceRoster',
  '/roster/groupRoster',
]);

/** Matches a path below `/api`; the username segment is URL-decoded (it may hold `%2F`). */
export function matchRoute(apiPath: string): RouteMatch | undefined {
  const path = apiPath.length > 1 && apiPath.endsWith('/') ? apiPath.slice(0, -1) : apiPath;
  if (FIXED_PATHS.has(path)) return { template: path, params: {} };
  if (path.startsWith('/users/')) {
    const segment = path.slice('/users/'.length);
    if (segment.length === 0 || segment.includes('/')) return undefined;
    return { template: '/users/{username}', params: { username: segment } };
  }
  return undefined;
}

/** The handlers per route template and HTTP method (the token endpoint is not among them). */
export const ROUTES: Record<string, Partial<Record<string, RouteHandler>>> = {
  '/users': { GET: listUsers, POST: createUser, PUT: replaceUser },
  '/users/{username}': { GET: getUser },
  '/humanresources': {
    GET: ({ url, tenant }) => jsonText(200, tenant.humanResourcesText(pageLimit(url))),
  },
  '/v2/resourcegroups': { GET: ({ tenant }) => jsonText(200, tenant.resourceGroupsText()) },
  '/roster/resourceRoster': { GET: resourceRoster },
  '/roster/groupRoster': { GET: groupRoster },
};

function listUsers({ url, tenant }: RouteCall): Response {
  return jsonText(200, tenant.usersText(pageLimit(url)));
}

function getUser({ params, tenant }: RouteCall): Response {
  return json(200, tenant.getUser(decodeSegment(params.username ?? '')));
}

async function createUser({ request, tenant }: RouteCall): Promise<Response> {
  return json(200, tenant.createUser(await jsonBody(request)));
}

async function replaceUser({ request, tenant }: RouteCall): Promise<Response> {
  return json(200, tenant.replaceUser(await jsonBody(request)));
}

function resourceRoster({ url, tenant }: RouteCall): Response {
  const resource = requiredParam(url, 'resource');
  const [start, end] = dateRange(url);
  const days = daysJson(tenant.resourceRoster(resource, start, end));
  return jsonText(200, `{"resource":${JSON.stringify(resource)},"days":${days}}`);
}

function groupRoster({ url, tenant }: RouteCall): Response {
  const group = requiredParam(url, 'resourceGroup');
  const [start, end] = dateRange(url);
  const rosters = tenant
    .groupRoster(group, start, end)
    .map(({ uname, days }) => `{"uname":${JSON.stringify(uname)},"days":${daysJson(days)}}`);
  return jsonText(200, `{"resourceRosters":[${rosters.join(',')}]}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw rejectWith(400, 'The username in the path is not validly URL-encoded.');
  }
}

async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw rejectWith(400, 'The request body is not valid JSON.');
  }
}

/** `limit=0` lists everything; no limit gives the default page. */
function pageLimit(url: URL): number {
  const limit = url.searchParams.get('limit');
  if (limit === null) return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(limit)) throw rejectWith(400, `Query parameter 'limit' must be a number.`);
  return Number(limit);
}

function requiredParam(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw rejectWith(400, `Query parameter '${name}' is required.`);
  return value;
}

function dateRange(url: URL): [string, string] {
  const start = requiredParam(url, 'startDate');
  const end = requiredParam(url, 'endDate');
  for (const [name, value] of [
    ['startDate', start],
    ['endDate', end],
  ] as const) {
    if (parseDate(value) === undefined) {
      throw rejectWith(400, `Query parameter '${name}' must be a date (yyyy-MM-dd).`);
    }
  }
  if (end < start) throw rejectWith(400, 'endDate is before startDate.');
  return [start, end];
}
