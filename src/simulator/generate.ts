/**
 * Generates a tenant that looks like a real Dutch care organisation: a three-level group tree,
 * people with diacritics and surname prefixes, accounts in several username styles, and rosters
 * whose part objects are shared between days so that tens of thousands of people stay compact.
 */
import type { Day, HumanResource, Part, ResourceGroup, Role, User } from '../inplanning/schemas.js';
import { formatDate, parseDate } from './dates.js';
import {
  ABSENCES,
  DEPARTMENTS,
  DIVISIONS,
  FIRST_NAMES,
  FUNCTIONS,
  MAIL_DOMAIN,
  MAIN_SHIFTS,
  PREFIXES,
  SERVICE_ACCOUNTS,
  SHIFTS,
  SURNAMES,
  USER_GROUPS,
  type ShiftName,
} from './names.js';
import { createRandom, type Random } from './random.js';
import type { TenantData } from './tenant.js';

export interface GenerateOptions {
  seed: number;
  /** Number of people (human resources). */
  users: number;
  /** `yyyy-MM-dd`; rosters run from the day before through `days` days after it. */
  today: string;
  days: number;
}

interface Team {
  uname: string;
  department: string;
  ref: Part['group'];
}

interface GroupTree {
  groups: ResourceGroup[];
  teams: Team[];
}

interface Person {
  resource: string;
  firstName: string;
  lastName: string;
  home: number;
  second: number | undefined;
  prop: number;
  since: string;
}

/** People per resource group, roughly, counting all three levels of the tree. */
const PEOPLE_PER_GROUP = 40;
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A whole tenant from a seed; the same options always give the same tenant. */
export function generateTenant(options: GenerateOptions): TenantData {
  const today = parseDate(options.today);
  if (today === undefined) throw new RangeError(`Not a date: ${options.today}`);
  const random = createRandom(options.seed);
  const tree = generateGroups(options.users);
  const people = generatePeople(random, options.users, tree, today);

  return {
    users: generateUsers(random, people, tree),
    humanResources: people.map((person) => humanResourceOf(random, person, today)),
    resourceGroups: tree.groups,
    rosters: generateRosters(random, people, tree, today - 1, options.days + 2),
  };
}

/** Divisions, departments and teams: about one group per 40 people, always three levels. */
function generateGroups(peopleCount: number): GroupTree {
  const total = Math.max(3, Math.round(peopleCount / PEOPLE_PER_GROUP));
  const teamCount = Math.max(1, Math.round(total * 0.75));
  const departmentCount = Math.max(1, Math.ceil(teamCount / 3));
  const divisionCount = Math.min(DIVISIONS.length, Math.ceil(departmentCount / 6));
  const groups: ResourceGroup[] = [];
  const teams: Team[] = [];

  const divisions = DIVISIONS.slice(0, divisionCount).map(([uname, name], index) => {
    groups.push({ uname, name, parent: null, externalId: `KP${100 + index}` });
    return uname;
  });
  const departments = Array.from({ length: departmentCount }, (_, index) => {
    const [code, specialty] = DEPARTMENTS[index % DEPARTMENTS.length]!;
    const round = Math.floor(index / DEPARTMENTS.length);
    const division = divisions[index % divisions.length]!;
    const uname = `${division}-${code}${round > 0 ? round + 1 : ''}`;
    const name = `Afdeling ${specialty}${round > 0 ? ` ${round + 1}` : ''}`;
    groups.push({ uname, name, parent: division, description: `Verpleegafdeling ${specialty}` });
    return { uname, name, floor: (index % 9) + 1, teams: 0 };
  });
  for (let index = 0; index < teamCount; index += 1) {
    const department = departments[index % departments.length]!;
    const letter = LETTERS[department.teams % LETTERS.length]!;
    department.teams += 1;
    const uname = `${department.uname}-${department.floor}${letter}`;
    const name = `Team ${department.floor}${letter}`;
    const description = `${department.name}, team ${department.floor}${letter}`;
    const externalId = `KP${1000 + index}`;
    groups.push({ uname, name, parent: department.uname, description, externalId });
    teams.push({
      uname,
      department: department.uname,
      ref: { uname, name, description, externalId },
    });
  }
  return { groups, teams };
}

function generatePeople(random: Random, count: number, tree: GroupTree, today: number): Person[] {
  const teamCount = tree.teams.length;
  return Array.from({ length: count }, (_, index) => {
    const home = random.int(0, teamCount - 1);
    const other = teamCount > 1 && random.chance(0.12) ? random.int(0, teamCount - 2) : undefined;
    const prefix = random.weighted(PREFIXES);
    const surname = random.pick(SURNAMES);
    return {
      resource: String(100001 + index),
      firstName: random.pick(FIRST_NAMES),
      lastName: prefix ? `${prefix} ${surname}` : surname,
      home,
      // The second team is any team but the home team.
      second: other === undefined ? undefined : other >= home ? other + 1 : other,
      prop: random.chance(0.08) ? -1 : random.int(0, FUNCTIONS.length - 1),
      since: formatDate(today - random.int(60, 25 * 365)),
    };
  });
}

function humanResourceOf(random: Random, person: Person, today: number): HumanResource {
  const labourHists: { startDate: string; endDate: string | null }[] = [];
  const since = parseDate(person.since)!;
  if (random.chance(0.15)) {
    labourHists.push({ startDate: formatDate(since - 2000), endDate: formatDate(since - 400) });
  }
  const leaving = random.chance(0.05) ? formatDate(today + random.int(5, 60)) : null;
  labourHists.push({ startDate: person.since, endDate: leaving });
  return {
    uname: person.resource,
    externalId: `E${person.resource}`,
    firstName: person.firstName,
    lastName: person.lastName,
    gender: random.weighted([
      ['V', 70],
      ['M', 28],
      ['O', 2],
    ] as const),
    phone: `06-${String(random.int(10_000_000, 99_999_999))}`,
    email: `${ascii(person.firstName)}.${compact(person.lastName)}@${MAIL_DOMAIN}`,
    labourHists,
  };
}

/** Accounts for most people, a few second accounts for one person, and service accounts. */
function generateUsers(random: Random, people: Person[], tree: GroupTree): User[] {
  const taken = new Map<string, number>();
  const users: User[] = [];
  const serviceCount = Math.min(SERVICE_ACCOUNTS.length, 1 + Math.floor(people.length / 100));
  for (let index = 0; index < serviceCount; index += 1) {
    const base = SERVICE_ACCOUNTS[index % SERVICE_ACCOUNTS.length]!;
    users.push(serviceAccount(random, unique(base, taken), tree));
  }
  for (const person of people) {
    if (!random.chance(0.9)) continue;
    users.push(accountOf(random, person, unique(usernameOf(random, person), taken), tree));
    if (random.chance(0.015)) {
      const second = unique(`adm.${compact(person.lastName)}`, taken);
      users.push(accountOf(random, person, second, tree));
    }
  }
  return users;
}

function usernameOf(random: Random, person: Person): string {
  const first = ascii(person.firstName);
  const last = compact(person.lastName);
  const style = random.weighted([
    ['mail', 55],
    ['dotted', 28],
    ['number', 10],
    ['spaced', 5],
    ['slashed', 2],
  ] as const);
  if (style === 'mail') return `${first[0]}.${last}@${MAIL_DOMAIN}`;
  if (style === 'dotted') return `${first}.${last}`;
  if (style === 'number') return person.resource;
  if (style === 'spaced') return `${person.firstName} ${person.lastName}`;
  return `extern/${first[0]}${last}`;
}

/**
 * A free username: the base, or the base with a number (before the `@` of an address). `taken`
 * maps each used name to the next number to try for it, so that common names stay cheap.
 */
function unique(base: string, taken: Map<string, number>): string {
  let candidate = base;
  let counter = taken.get(base) ?? 1;
  while (taken.has(candidate)) {
    counter += 1;
    const at = base.indexOf('@');
    candidate = at < 0 ? `${base}${counter}` : `${base.slice(0, at)}${counter}${base.slice(at)}`;
  }
  taken.set(base, counter);
  taken.set(candidate, 1);
  return candidate;
}

function accountOf(random: Random, person: Person, username: string, tree: GroupTree): User {
  const activeState = random.chance(0.92);
  const user: User = {
    username,
    firstName: person.firstName,
    lastName: person.lastName,
    email: `${ascii(person.firstName)}.${compact(person.lastName)}@${MAIL_DOMAIN}`,
    // Tenants send `active` either way; keep both forms in one tenant.
    active: random.chance(0.5) ? activeState : activeState ? 'True' : 'False',
    userGroup: random.weighted(USER_GROUPS),
    resource: person.resource,
    roles: rolesOf(random, person, tree),
  };
  if (random.chance(0.5)) user.displayName = `${person.firstName} ${person.lastName}`;
  return user;
}

function rolesOf(random: Random, person: Person, tree: GroupTree): Role[] {
  const home = tree.teams[person.home]!;
  const roles = [role('Medewerker', home.uname, person.since)];
  if (person.second !== undefined) {
    roles.push(role('Medewerker', tree.teams[person.second]!.uname, person.since));
  }
  if (random.chance(0.08)) roles.push(role('Planner', home.department, person.since));
  const former = tree.teams[random.int(0, tree.teams.length - 1)]!;
  if (random.chance(0.05) && !roles.some((item) => item.resourceGroup === former.uname)) {
    roles.push({ ...role('Medewerker', former.uname, '2019-01-01'), endDate: '2021-12-31' });
  }
  return roles;
}

function role(name: string, resourceGroup: string, startDate: string): Role {
  return {
    role: name,
    resourceGroup,
    exchangeGroup: null,
    shiftGroup: null,
    worklocationGroup: null,
    userGroup: null,
    startDate,
    endDate: null,
  };
}

function serviceAccount(random: Random, username: string, tree: GroupTree): User {
  const division = tree.groups[0]!.uname;
  return {
    username,
    firstName: 'Systeem',
    lastName: username,
    email: null,
    active: random.chance(0.5) ? true : 'True',
    userGroup: 'Root',
    resource: null,
    roles: [role('Beheerder', division, '2020-01-01')],
  };
}

/** Days with shifts or an absence; days off are left out. Parts and their lists are shared. */
function generateRosters(
  random: Random,
  people: Person[],
  tree: GroupTree,
  firstDay: number,
  dayCount: number,
): Record<string, Day[]> {
  const dates = Array.from({ length: dayCount }, (_, index) => formatDate(firstDay + index));
  const parts = createPartCatalogue(tree);
  const rosters: Record<string, Day[]> = {};
  for (const person of people) {
    const days: Day[] = [];
    for (const rosterDate of dates) {
      const roll = random.next();
      if (roll >= 0.65) continue;
      if (roll < 0.03) {
        const keep = random.chance(0.5);
        const absence = random.pick(ABSENCES);
        days.push({ rosterDate, absence, parts: keep ? workParts(random, person, parts) : [] });
      } else {
        days.push({ rosterDate, absence: null, parts: workParts(random, person, parts) });
      }
    }
    if (days.length > 0) rosters[person.resource] = days;
  }
  return rosters;
}

/** One to three parts; people with a second team work there part of the time. */
function workParts(random: Random, person: Person, catalogue: PartCatalogue): Part[] {
  const team = person.second !== undefined && random.chance(0.3) ? person.second : person.home;
  const roll = random.next();
  if (roll >= 0.095) return catalogue.single(random.weighted(MAIN_SHIFTS), team, person.prop);
  if (roll < 0.015) {
    return catalogue.list(
      [
        ['splitMorning', team],
        ['splitEvening', team],
        ['onCall', person.home],
      ],
      person.prop,
    );
  }
  const extra: PartKey =
    person.second !== undefined ? ['evening', person.second] : ['onCall', person.home];
  return catalogue.list([[random.weighted(MAIN_SHIFTS), team], extra], person.prop);
}

type PartKey = [ShiftName, number];

interface PartCatalogue {
  /** The shared one-part list of a shift in a team for a function (-1: none). */
  single(shift: ShiftName, team: number, prop: number): Part[];
  list(keys: PartKey[], prop: number): Part[];
}

/** Shares one Part per (shift, team, function) and one list per combination of parts. */
function createPartCatalogue(tree: GroupTree): PartCatalogue {
  const shiftNames = Object.keys(SHIFTS) as ShiftName[];
  const shiftIndex = Object.fromEntries(shiftNames.map((name, index) => [name, index]));
  const propCount = FUNCTIONS.length + 1;
  const parts = new Map<number, Part>();
  const singles = new Map<number, Part[]>();
  const lists = new Map<string, Part[]>();

  const keyOf = (shift: ShiftName, team: number, prop: number): number => {
    const key = (shiftIndex[shift]! * tree.teams.length + team) * propCount + prop + 1;
    if (!parts.has(key)) {
      parts.set(key, {
        shift: SHIFTS[shift],
        group: tree.teams[team]!.ref,
        prop: prop < 0 ? null : FUNCTIONS[prop]![0],
        labourHist: null,
        labourHistGroup: null,
      });
    }
    return key;
  };

  return {
    single(shift, team, prop) {
      const key = keyOf(shift, team, prop);
      let list = singles.get(key);
      if (!list) {
        list = [parts.get(key)!];
        singles.set(key, list);
      }
      return list;
    },
    list(keys, prop) {
      const partKeys = keys.map(([shift, team]) => keyOf(shift, team, prop));
      const listKey = partKeys.join(',');
      let list = lists.get(listKey);
      if (!list) {
        list = partKeys.map((key) => parts.get(key)!);
        lists.set(listKey, list);
      }
      return list;
    },
  };
}

const asciiCache = new Map<string, string>();

/** Lower case without diacritics (names come from short lists, so results are cached). */
function ascii(text: string): string {
  let plain = asciiCache.get(text);
  if (plain === undefined) {
    plain = text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
    asciiCache.set(text, plain);
  }
  return plain;
}

/** Lower case letters only, for usernames: "van der Meer" becomes "vandermeer". */
function compact(text: string): string {
  return ascii(text).replace(/[^a-z]/g, '');
}
