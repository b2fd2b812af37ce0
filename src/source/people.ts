/**
 * The people of a source read, one per resource: active user accounts (`PersonSource` users) or
 * human resources employed during the window (`PersonSource` humanresources).
 */
import { type HumanResource, isActive, type User } from '../inplanning/schemas.js';
import type { RosterWindow } from './window.js';

/** A person's own fields, before contracts are added. ExternalId is the resource. */
export interface PersonFields {
  ExternalId: string;
  DisplayName: string;
  FirstName: string | null;
  LastName: string | null;
  Email: string | null;
}

/** The people found, and counts of those left out and why. */
export interface PeopleFound {
  people: PersonFields[];
  /** Active accounts without a resource: they cannot be planned, so they have no shifts. */
  withoutResource: number;
  /** Resources that several entries claim; one entry was chosen for each. */
  sharedResources: number;
  /** Human resources without an employment period overlapping the window. */
  notEmployed: number;
}

/**
 * One person per resource from the active accounts. When several accounts share a resource,
 * the one whose username sorts first (in code-unit order) is taken, so every run picks the same.
 */
export function peopleFromUsers(users: readonly User[]): PeopleFound {
  let withoutResource = 0;
  const byResource = new Map<string, User[]>();
  for (const user of users) {
    if (!isActive(user.active)) continue;
    const resource = user.resource ?? '';
    if (resource.trim() === '') {
      withoutResource += 1;
      continue;
    }
    const claimants = byResource.get(resource);
    if (claimants) claimants.push(user);
    else byResource.set(resource, [user]);
  }

  const people: PersonFields[] = [];
  let sharedResources = 0;
  for (const [resource, claimants] of byResource) {
    if (claimants.length > 1) sharedResources += 1;
    const chosen = claimants.reduce((a, b) => (b.username < a.username ? b : a));
    people.push(fromUser(resource, chosen));
  }
  return { people: sorted(people), withoutResource, sharedResources, notEmployed: 0 };
}

/**
 * One person per human resource with an employment period (labour history) that overlaps the
 * window: a current period, or one that starts or ends within the window being read.
 */
export function peopleFromHumanResources(
  resources: readonly HumanResource[],
  window: RosterWindow,
): PeopleFound {
  const byName = new Map<string, HumanResource>();
  let sharedResources = 0;
  let notEmployed = 0;
  for (const resource of resources) {
    if (!isEmployedDuring(resource, window)) {
      notEmployed += 1;
    } else if (byName.has(resource.uname)) {
      sharedResources += 1;
    } else {
      byName.set(resource.uname, resource);
    }
  }
  const people = [...byName.values()].map(fromHumanResource);
  return { people: sorted(people), withoutResource: 0, sharedResources, notEmployed };
}

function isEmployedDuring(resource: HumanResource, window: RosterWindow): boolean {
  return (resource.labourHists ?? []).some((period) => {
    const start = period.startDate?.slice(0, 10) || '0000-01-01';
    const end = period.endDate?.slice(0, 10) || '9999-12-31';
    return start <= window.to && end >= window.from;
  });
}

function fromUser(resource: string, user: User): PersonFields {
  return {
    ExternalId: resource,
    DisplayName: user.displayName?.trim() || fullName(user) || user.username,
    FirstName: user.firstName ?? null,
    LastName: user.lastName ?? null,
    Email: user.email ?? null,
  };
}

function fromHumanResource(resource: HumanResource): PersonFields {
  return {
    ExternalId: resource.uname,
    DisplayName: fullName(resource) || resource.uname,
    FirstName: resource.firstName ?? null,
    LastName: resource.lastName ?? null,
    Email: resource.email ?? null,
  };
}

function fullName(named: { firstName?: string | null; lastName?: string | null }): string {
  return [named.firstName, named.lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
}

function sorted(people: PersonFields[]): PersonFields[] {
  return people.sort((a, b) => compareText(a.ExternalId, b.ExternalId));
}

/** UTF-16 code-unit order: the same on every machine, whatever its locale. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
