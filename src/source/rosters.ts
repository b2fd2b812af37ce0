/**
 * Reading the rosters of a source read: one group roster per resource group (`group` mode) or one
 * roster per person (`resource` mode), concurrently within the client's limit. Fails closed: any
 * roster that cannot be read, including a 211 for a group or person InPlanning just listed, fails
 * the whole read.
 */
import { describeError, IncompleteError, NotFoundError } from '../errors.js';
import type { ResourceGroup } from '../inplanning/schemas.js';
import type { InPlanningClient } from '../inplanning/types.js';
import type { RosterBook } from './roster-book.js';
import type { RosterWindow } from './window.js';

export type RosterMode = 'group' | 'resource';

/** Called after each roster request with the number done and the total. */
export type ProgressListener = (done: number, total: number) => void;

export interface RosterRequest {
  /** Where the rosters are filed; it knows whose days to keep. */
  book: RosterBook;
  /** Resources whose rosters `resource` mode reads. */
  resources: readonly string[];
  groups: readonly ResourceGroup[];
  mode: RosterMode;
  window: RosterWindow;
  onProgress?: ProgressListener | undefined;
}

/** One roster to read and how to file what it returns. */
interface RosterTask {
  subject: string;
  fetch: () => Promise<(book: RosterBook) => void>;
}

/** Reads every roster the mode asks for into the book; throws IncompleteError on any failure. */
export async function readRosters(client: InPlanningClient, request: RosterRequest): Promise<void> {
  const tasks =
    request.mode === 'group' ? groupTasks(client, request) : resourceTasks(client, request);
  await runInOrder(client, tasks, request);
}

function groupTasks(client: InPlanningClient, request: RosterRequest): RosterTask[] {
  const { from, to } = request.window;
  const names = [...new Set(request.groups.map((group) => group.uname))].sort();
  return names.map((name) => ({
    subject: `group "${name}"`,
    fetch: async () => {
      const roster = await client.getGroupRoster(name, from, to);
      const reduced = (roster.resourceRosters ?? []).map(
        (entry) => [entry.uname, request.book.reduce(entry.uname, entry.days)] as const,
      );
      return (book) => {
        for (const [resource, days] of reduced) book.file(resource, days);
      };
    },
  }));
}

function resourceTasks(client: InPlanningClient, request: RosterRequest): RosterTask[] {
  const { from, to } = request.window;
  const resources = [...new Set(request.resources)].sort();
  return resources.map((resource) => ({
    subject: `resource "${resource}"`,
    fetch: async () => {
      const roster = await client.getResourceRoster(resource, from, to);
      const reduced = request.book.reduce(resource, roster.days);
      return (book) => book.file(resource, reduced);
    },
  }));
}

/**
 * Runs the tasks concurrently within the client's limit and files their results in task order,
 * so the merged book never depends on which answer came first. After a failure the tasks not yet
 * started are skipped, and the first failure is thrown once the running ones have settled.
 */
async function runInOrder(
  client: InPlanningClient,
  tasks: RosterTask[],
  request: RosterRequest,
): Promise<void> {
  const filed: Array<((book: RosterBook) => void) | undefined> = new Array(tasks.length);
  let next = 0;
  let done = 0;
  let failure: IncompleteError | undefined;

  const fileReady = () => {
    for (let file = filed[next]; file && !failure; file = filed[next]) {
      try {
        file(request.book);
      } catch (error) {
        failure ??= rosterFailure(tasks[next]!.subject, request.window, error);
      }
      filed[next++] = undefined;
    }
  };
  const run = async (task: RosterTask, index: number) => {
    if (failure) return;
    try {
      filed[index] = await task.fetch();
    } catch (error) {
      failure ??= rosterFailure(task.subject, request.window, error);
      return;
    }
    request.onProgress?.(++done, tasks.length);
    fileReady();
  };

  await Promise.allSettled(tasks.map((task, index) => client.limit(() => run(task, index))));
  if (failure) throw failure;
}

function rosterFailure(subject: string, window: RosterWindow, error: unknown): IncompleteError {
  const span = `${window.from} to ${window.to}`;
  if (error instanceof NotFoundError) {
    return new IncompleteError(
      `InPlanning answered 211 (not found) for the roster of ${subject} (${span}), ` +
        'which it had just listed; the read is incomplete and nothing was written.',
      { cause: error },
    );
  }
  return new IncompleteError(
    `Reading the roster of ${subject} (${span}) failed, so nothing was written: ` +
      describeError(error),
    { cause: error },
  );
}
