/**
 * A hand-written InPlanningClient over an in-memory tenant (the simulator's data format), for
 * unit tests of source reads without HTTP. It records every call and the peak concurrency.
 */
import pLimit from 'p-limit';
import type {
  Day,
  GroupRoster,
  HumanResource,
  ResourceGroup,
  ResourceRoster,
  User,
} from '../../src/inplanning/schemas.js';
import type { InPlanningClient } from '../../src/inplanning/types.js';

export interface Tenant {
  users?: User[];
  humanResources?: HumanResource[];
  resourceGroups?: ResourceGroup[];
  rosters?: Record<string, Day[]>;
}

export interface FakeOptions {
  concurrency?: number;
  /** `own`: a group roster holds only that group's parts; `all`: every part of the person. */
  groupCopies?: 'own' | 'all';
  /** Milliseconds a call takes, per call (random delays shuffle the order of answers). */
  delay?: (call: FakeCall) => number;
  /** An error to throw for a call, if any. */
  fail?: (call: FakeCall) => Error | undefined;
}

export interface FakeCall {
  method: string;
  args: string[];
}

export class FakeClient implements InPlanningClient {
  readonly calls: FakeCall[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private readonly limiter;

  constructor(
    private readonly tenant: Tenant,
    private readonly options: FakeOptions = {},
  ) {
    this.limiter = pLimit(options.concurrency ?? 4);
  }

  get requestCount(): number {
    return this.calls.length;
  }

  limit<T>(task: () => Promise<T>): Promise<T> {
    return this.limiter(task);
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async listUsers(): Promise<User[]> {
    return this.answer({ method: 'listUsers', args: [] }, () => this.tenant.users ?? []);
  }

  async listHumanResources(): Promise<HumanResource[]> {
    const call = { method: 'listHumanResources', args: [] };
    return this.answer(call, () => this.tenant.humanResources ?? []);
  }

  async listResourceGroups(): Promise<ResourceGroup[]> {
    const call = { method: 'listResourceGroups', args: [] };
    return this.answer(call, () => this.tenant.resourceGroups ?? []);
  }

  async getResourceRoster(resource: string, from: string, to: string): Promise<ResourceRoster> {
    const call = { method: 'getResourceRoster', args: [resource, from, to] };
    return this.answer(call, () => ({
      resource,
      days: inRange(this.tenant.rosters?.[resource] ?? [], from, to),
    }));
  }

  async getGroupRoster(group: string, from: string, to: string): Promise<GroupRoster> {
    const call = { method: 'getGroupRoster', args: [group, from, to] };
    return this.answer(call, () => ({ resourceRosters: this.groupRosters(group, from, to) }));
  }

  async getUser(): Promise<User> {
    throw new Error('not used by source reads');
  }

  async findUser(): Promise<User | undefined> {
    throw new Error('not used by source reads');
  }

  async createUser(): Promise<User> {
    throw new Error('not used by source reads');
  }

  async replaceUser(): Promise<User> {
    throw new Error('not used by source reads');
  }

  async deleteUser(): Promise<void> {
    throw new Error('not used by source reads');
  }

  private groupRosters(group: string, from: string, to: string) {
    const out: Array<{ uname: string; days: Day[] }> = [];
    for (const [resource, days] of Object.entries(this.tenant.rosters ?? {})) {
      const planned = days.some((day) => day.parts?.some((part) => part.group.uname === group));
      if (!planned) continue;
      const copies = inRange(days, from, to).map((day) => ({
        ...day,
        parts:
          this.options.groupCopies === 'all'
            ? day.parts
            : (day.parts ?? []).filter((part) => part.group.uname === group),
      }));
      out.push({ uname: resource, days: copies });
    }
    return out;
  }

  private async answer<T>(call: FakeCall, produce: () => T): Promise<T> {
    this.calls.push(call);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const delay = this.options.delay?.(call) ?? 0;
      await new Promise((resolve) => setTimeout(resolve, delay));
      const error = this.options.fail?.(call);
      if (error) throw error;
      return structuredClone(produce());
    } finally {
      this.inFlight -= 1;
    }
  }
}

function inRange(days: Day[], from: string, to: string): Day[] {
  return days.filter((day) => day.rosterDate >= from && day.rosterDate <= to);
}

/** Builders for roster data in tests. */
export function part(shift: string, group: string, prop?: string): NonNullable<Day['parts']>[0] {
  return {
    shift: { uname: shift, name: shift.replace(/^[\d:-]+\s*/, '') || shift },
    group: { uname: group, name: `Group ${group}`, description: null, externalId: null },
    prop: prop ? { uname: prop, name: `Function ${prop}` } : null,
  };
}

export function day(rosterDate: string, parts: ReturnType<typeof part>[], absence?: object): Day {
  return { rosterDate, absence: absence ?? null, parts };
}

export function user(username: string, resource: string | null, active: User['active'] = true) {
  return {
    username,
    firstName: `First ${username}`,
    lastName: `Last ${username}`,
    email: `${username}@example.org`,
    active,
    resource,
  } satisfies User;
}
