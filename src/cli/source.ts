/**
 * `inplanning source persons|departments`: reads everything first, then checks the safety net,
 * then prints. Nothing reaches stdout unless every read succeeded (exit 1 otherwise); a wrong
 * invocation exits 2 before anything is sent.
 */
import { type ConnectionSettings, requireConnection } from '../config.js';
import { describeError, InputError } from '../errors.js';
import type { InPlanningClient } from '../inplanning/types.js';
import { log } from '../log.js';
import type { SourceDepartment } from '../source/departments.js';
import type { SourcePerson } from '../source/persons.js';
import type { Snapshot, SourceKind } from '../source/safety-net.js';
import { rosterWindow, type RosterWindow } from '../source/window.js';
import { writeError } from './output.js';
import type { CommandRun, Handler } from './registry.js';
import { loadCliSettings } from './settings.js';

type Format = 'ndjson' | 'json';

interface Prepared {
  settings: ConnectionSettings;
  format: Format;
  force: boolean;
  window: RosterWindow;
}

/** The result of a read: the rows to print and the ids the safety net compares. */
interface ReadResult {
  rows: readonly unknown[];
  snapshot: Snapshot;
  summary: Record<string, number>;
}

export function sourceHandler(kind: SourceKind): Handler {
  return async (run) => {
    const started = Date.now();
    let prepared: Prepared;
    try {
      prepared = await prepare(run);
    } catch (error) {
      writeError(describeError(error));
      return 2;
    }

    const { createClient } = await import('../inplanning/client.js');
    const client = createClient(prepared.settings);
    try {
      const result = await read(kind, client, prepared);
      const refused = await checkSafetyNet(kind, prepared, result.snapshot);
      if (refused) {
        writeError(refused);
        logOutcome(kind, 'refused', started, client, result.summary);
        return 1;
      }
      await printRows(result.rows, prepared.format);
      await keepSnapshot(kind, prepared, result.snapshot);
      logOutcome(kind, 'success', started, client, result.summary);
      return 0;
    } catch (error) {
      writeError(describeError(error));
      log().error({ err: error }, `source ${kind} failed`);
      logOutcome(kind, 'failed', started, client, {});
      return 1;
    }
  };
}

/** Validates flags and settings; throws InputError or SettingsError (exit 2). */
async function prepare(run: CommandRun): Promise<Prepared> {
  const options = run.options;
  const format = String(options.format ?? 'ndjson');
  if (format !== 'ndjson' && format !== 'json') {
    throw new InputError(`--format must be "ndjson" or "json" (got "${format}").`);
  }
  if (options.timeline !== undefined) {
    throw new InputError('--timeline is not available in this version of the connector.');
  }
  if (options.mapping !== undefined) {
    throw new InputError('--mapping is not available in this version of the connector.');
  }
  const settings = requireConnection(
    await loadCliSettings({ configFile: optionalText(options.config) }),
  );
  const window = rosterWindow(settings, {
    from: optionalText(options.from),
    to: optionalText(options.to),
  });
  return { settings, format, force: options.force === true, window };
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function read(
  kind: SourceKind,
  client: InPlanningClient,
  prepared: Prepared,
): Promise<ReadResult> {
  const safety = await import('../source/safety-net.js');
  if (kind === 'departments') {
    const { readDepartments } = await import('../source/departments.js');
    const departments: SourceDepartment[] = await readDepartments(client);
    return {
      rows: departments,
      snapshot: safety.snapshotOfDepartments(departments),
      summary: { departments: departments.length },
    };
  }
  const { readPersons } = await import('../source/persons.js');
  const progress = progressLine();
  let persons: SourcePerson[];
  try {
    persons = await readPersons(client, prepared.settings, prepared.window, {
      onProgress: progress?.update,
    });
  } finally {
    progress?.clear();
  }
  const contracts = persons.reduce((sum, person) => sum + person.Contracts.length, 0);
  return {
    rows: persons,
    snapshot: safety.snapshotOfPersons(persons, prepared.window),
    summary: { persons: persons.length, contracts },
  };
}

/** The refusal sentence when MaxRemovedPercent is set and exceeded (unless --force). */
async function checkSafetyNet(
  kind: SourceKind,
  prepared: Prepared,
  snapshot: Snapshot,
): Promise<string | undefined> {
  const max = prepared.settings.MaxRemovedPercent;
  if (max === undefined) return undefined;
  const safety = await import('../source/safety-net.js');
  const file = safety.snapshotFile(prepared.settings.StateDir, kind, prepared.settings);
  const previous = await safety.loadSnapshot(file);
  if (!previous) return undefined;
  const removal = safety.compareSnapshots(previous, snapshot);
  const sentence = safety.refusal(removal, max, kind);
  if (sentence && prepared.force) {
    log().warn({ ...removal }, 'MaxRemovedPercent exceeded, accepted because of --force');
    return undefined;
  }
  return sentence && `${sentence} Check InPlanning; run once with --force to accept it.`;
}

/** Keeps the ids of this result for the next run's comparison (only when the net is on). */
async function keepSnapshot(kind: SourceKind, prepared: Prepared, snapshot: Snapshot) {
  if (prepared.settings.MaxRemovedPercent === undefined) return;
  const safety = await import('../source/safety-net.js');
  const file = safety.snapshotFile(prepared.settings.StateDir, kind, prepared.settings);
  try {
    await safety.saveSnapshot(file, snapshot);
  } catch (error) {
    log().warn({ err: error }, 'the result could not be kept for the MaxRemovedPercent check');
  }
}

/** Writes the rows in chunks: one JSON object per line, or one array. */
async function printRows(rows: readonly unknown[], format: Format): Promise<void> {
  const CHUNK = 1 << 20;
  let buffer = format === 'json' ? '[' : '';
  for (let index = 0; index < rows.length; index++) {
    const text = JSON.stringify(rows[index]);
    buffer += format === 'json' ? (index > 0 ? ',' : '') + text : `${text}\n`;
    if (buffer.length >= CHUNK) {
      await write(buffer);
      buffer = '';
    }
  }
  if (format === 'json') buffer += ']\n';
  if (buffer) await write(buffer);
}

function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** A progress line on stderr, only when stderr is a terminal. */
function progressLine() {
  if (!process.stderr.isTTY) return undefined;
  let shown = 0;
  return {
    update: (done: number, total: number) => {
      const now = Date.now();
      if (done < total && now - shown < 100) return;
      shown = now;
      process.stderr.write(`\rinplanning: reading rosters ${done}/${total}`);
    },
    clear: () => {
      if (shown > 0) process.stderr.write('\r\x1b[K');
    },
  };
}

function logOutcome(
  kind: SourceKind,
  outcome: string,
  started: number,
  client: InPlanningClient,
  summary: Record<string, number>,
): void {
  const fields = { outcome, durationMs: Date.now() - started, requests: client.requestCount };
  log().info({ ...fields, ...summary }, `source ${kind} ${outcome}`);
}
