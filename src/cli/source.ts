/**
 * `inplanning source persons|departments`: reads everything first, then checks the safety net,
 * then prints. Nothing reaches stdout unless every read succeeded (exit 1 otherwise); a wrong
 * invocation exits 2 before anything is sent.
 */
import v8 from 'node:v8';
import { type ConnectionSettings, requireConnection } from '../config.js';
import { ConnectorError, describeError, InputError } from '../errors.js';
import type { InPlanningClient } from '../inplanning/types.js';
import { log } from '../log.js';
import type { SourceMapping } from '../mapping/source.js';
import type { Snapshot, SourceKind } from '../source/safety-net.js';
import type { TimelinePerson } from '../source/timeline.js';
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
  /** The source mapping applied to each person (`--mapping`), if any. */
  mapping: SourceMapping | undefined;
  /** Where `--timeline` writes the HTML access timeline, if asked. */
  timelineFile: string | undefined;
}

/** A completed read: rows built as they are iterated, and the ids the safety net compares. */
interface ReadResult {
  rows: () => Iterable<unknown>;
  snapshot: () => Snapshot;
  /** Counts for the log line, filled in as the rows are iterated. */
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
      const snapshot =
        prepared.settings.MaxRemovedPercent === undefined ? undefined : result.snapshot();
      const refused = snapshot && (await checkSafetyNet(kind, prepared, snapshot));
      if (refused) {
        writeError(refused);
        logOutcome(kind, 'refused', started, client, {});
        return 1;
      }
      if (prepared.timelineFile) await writeTimeline(prepared, result.rows());
      const rows = prepared.mapping
        ? await mapRows(prepared.mapping, result.rows())
        : result.rows();
      await printRows(rows, prepared.format);
      if (snapshot) await keepSnapshot(kind, prepared, snapshot);
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

/** Writes the access timeline of a completed read, before anything is printed. */
async function writeTimeline(prepared: Prepared, persons: Iterable<unknown>): Promise<void> {
  const [{ renderTimeline }, { writeFile }] = await Promise.all([
    import('../source/timeline.js'),
    import('node:fs/promises'),
  ]);
  const html = renderTimeline([...persons] as TimelinePerson[], {
    now: new Date(),
    timeZone: prepared.settings.TimeZone,
    from: prepared.window.from,
    to: prepared.window.to,
    title: `Access timeline ${prepared.window.from} to ${prepared.window.to}`,
  });
  await writeFile(prepared.timelineFile as string, html, 'utf8');
}

/** Validates flags, settings and the mapping file; throws before anything is sent (exit 2). */
async function prepare(run: CommandRun): Promise<Prepared> {
  const options = run.options;
  const format = String(options.format ?? 'ndjson');
  if (format !== 'ndjson' && format !== 'json') {
    throw new InputError(`--format must be "ndjson" or "json" (got "${format}").`);
  }
  const timelineFile = optionalText(options.timeline);
  if (timelineFile !== undefined && !/\.html?$/i.test(timelineFile)) {
    throw new InputError(`--timeline must name an .html file (got "${timelineFile}").`);
  }
  const mappingFile = optionalText(options.mapping);
  const mapping = mappingFile === undefined ? undefined : await loadMapping(mappingFile);
  const settings = requireConnection(
    await loadCliSettings({ configFile: optionalText(options.config) }),
  );
  const window = rosterWindow(settings, {
    from: optionalText(options.from),
    to: optionalText(options.to),
  });
  return { settings, format, force: options.force === true, window, mapping, timelineFile };
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads the mapping before anything is sent, so a malformed file is an invocation error. */
async function loadMapping(file: string): Promise<SourceMapping> {
  const { loadSourceMapping } = await import('../mapping/source.js');
  try {
    return loadSourceMapping(file);
  } catch (error) {
    if (error instanceof ConnectorError) throw new InputError(error.explanation, { cause: error });
    throw error;
  }
}

/**
 * Maps every person before the first is printed, so that a person the mapping refuses fails the
 * command with nothing on stdout (exit 1). Mapped persons are therefore all held at once.
 */
async function mapRows(mapping: SourceMapping, rows: Iterable<unknown>): Promise<unknown[]> {
  const { mapPersons } = await import('../mapping/source.js');
  return mapPersons(mapping, [...rows]);
}

async function read(
  kind: SourceKind,
  client: InPlanningClient,
  prepared: Prepared,
): Promise<ReadResult> {
  const safety = await import('../source/safety-net.js');
  if (kind === 'departments') {
    const { readDepartments } = await import('../source/departments.js');
    const departments = await readDepartments(client);
    return {
      rows: () => departments,
      snapshot: () => safety.snapshotOfDepartments(departments),
      summary: { departments: departments.length },
    };
  }

  const { readPersonsLazily } = await import('../source/persons.js');
  limitHeapGrowth();
  const progress = progressLine();
  const done = await readPersonsLazily(client, prepared.settings, prepared.window, {
    onProgress: progress?.update,
  }).finally(() => progress?.clear());
  const summary = { persons: 0, contracts: 0 };
  return {
    *rows() {
      for (const person of done.persons()) {
        summary.persons += 1;
        summary.contracts += person.Contracts.length;
        yield person;
      }
    },
    snapshot: () => safety.snapshotOfPersons(done.persons(), prepared.window),
    summary,
  };
}

/**
 * A large read parses big answers (the users list above all) whose garbage V8 would otherwise
 * let pile up, multiplying the heap after each full collection: at 30 000 people the process
 * would peak near 350 MB while it holds under 70 MB. Capping that growth factor at 1.5 keeps
 * the peak near 270 MB for a few percent more collector time. V8 reads this flag whenever it
 * sizes the heap, so setting it at run time takes effect; if it ever did not, only memory grows.
 */
function limitHeapGrowth(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}

/** The refusal sentence when MaxRemovedPercent is exceeded (unless --force). */
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

/** Keeps the ids of this result for the next run's comparison. */
async function keepSnapshot(kind: SourceKind, prepared: Prepared, snapshot: Snapshot) {
  const safety = await import('../source/safety-net.js');
  const file = safety.snapshotFile(prepared.settings.StateDir, kind, prepared.settings);
  try {
    await safety.saveSnapshot(file, snapshot);
  } catch (error) {
    log().warn({ err: error }, 'the result could not be kept for the MaxRemovedPercent check');
  }
}

/** Writes the rows in chunks as they are built: one JSON object per line, or one array. */
async function printRows(rows: Iterable<unknown>, format: Format): Promise<void> {
  const CHUNK = 1 << 20;
  let buffer = format === 'json' ? '[' : '';
  let first = true;
  for (const row of rows) {
    const text = JSON.stringify(row);
    buffer += format === 'json' ? (first ? '' : ',') + text : `${text}\n`;
    first = false;
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
