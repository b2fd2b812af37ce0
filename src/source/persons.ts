/**
 * `source persons`: the people of InPlanning with one contract per shift part in the roster
 * window. Reads everything first and fails as a whole; it returns data and prints nothing, so the
 * demo and the timeline use it as the CLI does.
 */
import type { Settings } from '../config.js';
import { describeError, IncompleteError } from '../errors.js';
import type { InPlanningClient } from '../inplanning/types.js';
import { log } from '../log.js';
import { contractsOf, indexGroups, partDescriber, type SourceContract } from './contracts.js';
import {
  type PeopleFound,
  type PersonFields,
  peopleFromHumanResources,
  peopleFromUsers,
} from './people.js';
import { RosterBook } from './roster-book.js';
import { type ProgressListener, readRosters } from './rosters.js';
import type { RosterWindow } from './window.js';

/** A person as the engine reads it: its own fields and its shift contracts. */
export interface SourcePerson extends PersonFields {
  Contracts: SourceContract[];
}

/** The settings a persons read uses. */
export type PersonsSettings = Pick<
  Settings,
  | 'TimeZone'
  | 'AccessLeadMinutes'
  | 'AccessLagMinutes'
  | 'PersonSource'
  | 'RosterMode'
  | 'IncludePersonsWithoutShifts'
>;

export interface PersonsReadOptions {
  onProgress?: ProgressListener | undefined;
}

/** Everything a persons read fetched, from which persons are built one at a time. */
export interface PersonsRead {
  /**
   * The persons in ExternalId order, each built when the iteration reaches it, so a large read
   * never holds every contract at once. Each call iterates afresh.
   */
  persons(): Generator<SourcePerson>;
}

/**
 * Reads people, resource groups and rosters, and returns the persons ordered by ExternalId.
 * Throws IncompleteError when any read fails; it never returns a partial result.
 */
export async function readPersons(
  client: InPlanningClient,
  settings: PersonsSettings,
  window: RosterWindow,
  options: PersonsReadOptions = {},
): Promise<SourcePerson[]> {
  return [...(await readPersonsLazily(client, settings, window, options)).persons()];
}

/**
 * readPersons that reads everything first (failing as a whole, as readPersons does) and then
 * builds the persons only as they are iterated.
 */
export async function readPersonsLazily(
  client: InPlanningClient,
  settings: PersonsSettings,
  window: RosterWindow,
  options: PersonsReadOptions = {},
): Promise<PersonsRead> {
  const [found, groups] = await Promise.all([
    listing('people', () => client.limit(() => readPeople(client, settings, window))),
    listing('resource groups', () => client.limit(() => client.listResourceGroups())),
  ]);
  reportPeople(found, settings);

  const resources = found.people.map((person) => person.ExternalId);
  const book = new RosterBook(new Set(resources), window, partDescriber(indexGroups(groups)));
  await readRosters(client, {
    book,
    resources,
    groups,
    mode: settings.RosterMode,
    window,
    onProgress: options.onProgress,
  });
  if (book.unknownCount > 0) {
    const unknown = book.unknownCount;
    log().debug({ resources: unknown }, 'rosters of resources not read as people skipped');
  }

  return {
    *persons() {
      for (const person of found.people) {
        const contracts = contractsOf(person.ExternalId, book.daysOf(person.ExternalId), settings);
        if (contracts.length > 0 || settings.IncludePersonsWithoutShifts) {
          yield { ...person, Contracts: contracts };
        }
      }
    },
  };
}

async function readPeople(
  client: InPlanningClient,
  settings: PersonsSettings,
  window: RosterWindow,
): Promise<PeopleFound> {
  if (settings.PersonSource === 'humanresources') {
    return peopleFromHumanResources(await client.listHumanResources(), window);
  }
  return peopleFromUsers(await client.listUsers());
}

/** Runs one list request, naming what failed if it does. */
async function listing<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const message = `Reading the ${what} failed, so nothing was written: ${describeError(error)}`;
    throw new IncompleteError(message, { cause: error });
  }
}

function reportPeople(found: PeopleFound, settings: PersonsSettings): void {
  if (found.withoutResource > 0) {
    log().warn(
      { accounts: found.withoutResource },
      `${found.withoutResource} active accounts have no resource and were skipped`,
    );
  }
  if (found.sharedResources > 0) {
    const rule =
      settings.PersonSource === 'users'
        ? 'the account whose username sorts first was used'
        : 'the first was used';
    log().warn(
      { resources: found.sharedResources },
      `${found.sharedResources} resources are claimed more than once; ${rule}`,
    );
  }
  if (found.notEmployed > 0) {
    log().info(
      { humanResources: found.notEmployed },
      `${found.notEmployed} human resources have no employment period in the window`,
    );
  }
}
