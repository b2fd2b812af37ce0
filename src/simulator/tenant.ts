/**
 * The simulated tenant: users, human resources, resource groups and rosters, with the indexes the
 * request path needs (by username, resource and group) and the rules of the real service for
 * writes. Rosters are read-only and share their part objects, which keeps large tenants compact.
 */
import * as z from 'zod';
import { InputError } from '../errors.js';
import {
  daySchema,
  humanResourceSchema,
  resourceGroupSchema,
  userSchema,
  type Day,
  type HumanResource,
  type Part,
  type ResourceGroup,
  type Role,
  type User,
} from '../inplanning/schemas.js';
import { parseDate } from './dates.js';
import { notFound, rejectWith } from './http.js';

/** The tenant as JSON: the format of `--data` files and of `GET /_sim/state`. */
export interface TenantData {
  users: User[];
  humanResources: HumanResource[];
  resourceGroups: ResourceGroup[];
  rosters: Record<string, Day[]>;
}

const tenantDataSchema = z.object({
  users: z.array(userSchema, { error: 'must be a list of users' }),
  humanResources: z
    .array(humanResourceSchema, { error: 'must be a list of human resources' })
    .default([]),
  resourceGroups: z
    .array(resourceGroupSchema, { error: 'must be a list of resource groups' })
    .default([]),
  rosters: z.record(z.string(), z.array(daySchema)).default({}),
});

/** Validates tenant JSON (a parsed `--data` file); throws InputError naming the first problem. */
export function parseTenantData(value: unknown): TenantData {
  const result = tenantDataSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'the top level';
    throw new InputError(`The tenant data is invalid at ${where}: ${issue?.message ?? 'unknown'}.`);
  }
  const data = result.data as TenantData;
  return { ...data, resourceGroups: flattenGroups(data.resourceGroups, null) };
}

/** Accepts groups given as a tree too: children become flat entries with their `parent`. */
function flattenGroups(groups: ResourceGroup[], parent: string | null): ResourceGroup[] {
  return groups.flatMap((group) => {
    const { children, ...own } = group;
    const flat: ResourceGroup = { ...own, parent: own.parent ?? parent };
    return [flat, ...flattenGroups(children ?? [], group.uname)];
  });
}

/** Role fields that name a resource group and must therefore exist. */
const GROUP_FIELDS = ['resourceGroup', 'exchangeGroup', 'shiftGroup', 'worklocationGroup'] as const;

/** Users listed when a request gives no `limit` (the real default is unknown; keep it small). */
export const DEFAULT_PAGE_SIZE = 100;

/** The live tenant with its indexes; users change through POST and PUT, the rest is fixed. */
export class Tenant {
  private readonly users = new Map<string, User>();
  private readonly humanResources: HumanResource[];
  private readonly resources = new Set<string>();
  private readonly resourceGroups: ResourceGroup[];
  private readonly groupsByUname = new Map<string, ResourceGroup>();
  private readonly groupNames = new Set<string>();
  private readonly rosters = new Map<string, Day[]>();
  private readonly groupMembers = new Map<string, string[]>();
  private usersJson: string | undefined;
  private humanResourcesJson: string | undefined;
  private resourceGroupsJson: string | undefined;

  constructor(data: TenantData) {
    for (const user of data.users) this.users.set(user.username, user);
    this.humanResources = data.humanResources;
    for (const person of data.humanResources) this.resources.add(person.uname);
    this.resourceGroups = data.resourceGroups;
    for (const group of data.resourceGroups) this.indexGroup(group);
    for (const [resource, days] of Object.entries(data.rosters)) this.indexRoster(resource, days);
  }

  private indexGroup(group: ResourceGroup): void {
    this.groupsByUname.set(group.uname, group);
    if (group.name) this.groupNames.add(group.name);
  }

  private indexRoster(resource: string, days: Day[]): void {
    const sorted = [...days].sort((a, b) => compareText(dateOf(a), dateOf(b)));
    this.rosters.set(resource, sorted);
    const groups = new Set<string>();
    for (const day of sorted) for (const part of day.parts ?? []) groups.add(part.group.uname);
    for (const group of groups) {
      const members = this.groupMembers.get(group);
      if (members) members.push(resource);
      else this.groupMembers.set(group, [resource]);
    }
  }

  /** The users as JSON, the first `limit` of them (0: all). The full list is cached. */
  usersText(limit: number): string {
    if (limit > 0) return JSON.stringify([...take(this.users.values(), limit)]);
    this.usersJson ??= JSON.stringify([...this.users.values()]);
    return this.usersJson;
  }

  /** The human resources as JSON, the first `limit` of them (0: all). */
  humanResourcesText(limit: number): string {
    if (limit > 0) return JSON.stringify(this.humanResources.slice(0, limit));
    this.humanResourcesJson ??= JSON.stringify(this.humanResources);
    return this.humanResourcesJson;
  }

  /** The resource groups as a flat JSON list, each with its `parent`. */
  resourceGroupsText(): string {
    this.resourceGroupsJson ??= JSON.stringify(this.resourceGroups);
    return this.resourceGroupsJson;
  }

  /** One user; rejects with 211 when the username is unknown. */
  getUser(username: string): User {
    const user = this.users.get(username);
    if (!user) throw notFound('user', username);
    return user;
  }

  /** POST /users: the username must be new and the roles must name existing groups. */
  createUser(body: unknown): User {
    const user = this.validUser(body);
    if (this.users.has(user.username)) {
      throw rejectWith(400, `A user with username '${user.username}' already exists.`);
    }
    this.users.set(user.username, user);
    this.usersJson = undefined;
    return user;
  }

  /** PUT /users: replaces the whole user; fields left out of the body are gone. */
  replaceUser(body: unknown): User {
    const user = this.validUser(body);
    if (!this.users.has(user.username)) throw notFound('user', user.username);
    this.users.set(user.username, user);
    this.usersJson = undefined;
    return user;
  }

  private validUser(body: unknown): User {
    const result = userSchema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') || 'user';
      throw rejectWith(400, `Invalid user: ${field} ${issue?.message ?? 'is invalid'}.`);
    }
    for (const role of result.data.roles ?? []) this.checkRole(role);
    return result.data;
  }

  private checkRole(role: Role): void {
    if (!role.role.trim()) throw rejectWith(400, 'Invalid role: the role name is empty.');
    for (const field of GROUP_FIELDS) {
      const group = role[field];
      if (group && !this.hasGroup(group)) {
        throw rejectWith(400, `Role '${role.role}': ${field} '${group}' does not exist.`);
      }
    }
    const start = checkedDate(role, 'startDate');
    const end = checkedDate(role, 'endDate');
    if (start !== undefined && end !== undefined && end < start) {
      throw rejectWith(400, `Role '${role.role}': endDate is before startDate.`);
    }
  }

  /** A group is named by its `uname` or by its `name`. */
  private hasGroup(reference: string): boolean {
    return this.groupsByUname.has(reference) || this.groupNames.has(reference);
  }

  /** One resource's days from `start` to `end` (inclusive); rejects with 211 when unknown. */
  resourceRoster(resource: string, start: string, end: string): Day[] {
    const days = this.rosters.get(resource);
    if (!days && !this.resources.has(resource)) throw notFound('resource', resource);
    return daysBetween(days ?? [], start, end);
  }

  /** Everyone planned in `group`, with only the parts of that group; 211 when unknown. */
  groupRoster(group: string, start: string, end: string): { uname: string; days: Day[] }[] {
    if (!this.groupsByUname.has(group)) throw notFound('resourceGroup', group);
    const rosters: { uname: string; days: Day[] }[] = [];
    for (const resource of this.groupMembers.get(group) ?? []) {
      const days = daysBetween(this.rosters.get(resource) ?? [], start, end)
        .map((day) => dayInGroup(day, group))
        .filter((day): day is Day => day !== undefined);
      if (days.length > 0) rosters.push({ uname: resource, days });
    }
    return rosters;
  }

  /** The whole tenant as JSON data (the `--data` format). */
  snapshot(): TenantData {
    return {
      users: [...this.users.values()],
      humanResources: this.humanResources,
      resourceGroups: this.resourceGroups,
      rosters: Object.fromEntries(this.rosters),
    };
  }

  /** The number of user accounts. */
  get userCount(): number {
    return this.users.size;
  }
}

function checkedDate(role: Role, field: 'startDate' | 'endDate'): number | undefined {
  const value = role[field];
  if (value === null || value === undefined || value === '') return undefined;
  const day = parseDate(value.slice(0, 10));
  if (day === undefined) {
    throw rejectWith(400, `Role '${role.role}': ${field} '${value}' is not a date (yyyy-MM-dd).`);
  }
  return day;
}

function dateOf(day: Day): string {
  return day.rosterDate.length === 10 ? day.rosterDate : day.rosterDate.slice(0, 10);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The days of a date-sorted list within [start, end], found by binary search. */
function daysBetween(days: Day[], start: string, end: string): Day[] {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (dateOf(days[middle]!) < start) low = middle + 1;
    else high = middle;
  }
  let stop = low;
  while (stop < days.length && dateOf(days[stop]!) <= end) stop += 1;
  return days.slice(low, stop);
}

/** The day with only the parts in `group`; absence days stay; undefined when nothing is left. */
function dayInGroup(day: Day, group: string): Day | undefined {
  const parts = day.parts ?? [];
  const own = parts.filter((part: Part) => part.group.uname === group);
  if (own.length === parts.length) return day;
  if (own.length === 0 && !day.absence) return undefined;
  return { ...day, parts: own };
}

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let taken = 0;
  for (const item of items) {
    yield item;
    taken += 1;
    if (taken >= count) return;
  }
}
