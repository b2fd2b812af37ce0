/**
 * `inplanning target <action>`: reads the engine's context and settings, runs one action from
 * src/target/, and prints its outputContext (or an import's rows). An invocation that is wrong
 * exits 2 before anything is sent, still answering with a failed outputContext.
 */
import { readFile } from 'node:fs/promises';
import { type ConnectionSettings, requireConnection } from '../config.js';
import { type Invocation, type OutputContext, parseInvocation } from '../context.js';
import { describeError, InputError, MappingError, SettingsError } from '../errors.js';
import { addLogScope, log } from '../log.js';
import type { TargetAction, TargetResult } from '../target/types.js';
import { failedOutput, printJson, writeError } from './output.js';
import type { CommandRun, Handler, TargetActionName } from './registry.js';
import { loadCliSettings } from './settings.js';

const LOADERS: Record<TargetActionName, () => Promise<{ run: TargetAction }>> = {
  create: () => import('../target/create.js'),
  update: () => import('../target/update.js'),
  enable: () => import('../target/enable.js'),
  disable: () => import('../target/disable.js'),
  delete: () => import('../target/delete.js'),
  grant: () => import('../target/grant.js'),
  revoke: () => import('../target/revoke.js'),
  permissions: () => import('../target/permissions.js'),
  'import-accounts': () => import('../target/import-accounts.js'),
  'import-permissions': () => import('../target/import-permissions.js'),
};

/** The audit-log action named in answers this layer writes itself. */
const AUDIT_ACTION: Record<TargetActionName, string> = {
  create: 'CreateAccount',
  update: 'UpdateAccount',
  enable: 'EnableAccount',
  disable: 'DisableAccount',
  delete: 'DeleteAccount',
  grant: 'GrantPermission',
  revoke: 'RevokePermission',
  permissions: 'ListPermissions',
  'import-accounts': 'ImportAccounts',
  'import-permissions': 'ImportPermissions',
};

/** The field-mapping action whose values `--mapping` computes for each target action. */
const MAPPING_ACTION: Partial<Record<TargetActionName, string>> = {
  create: 'Create',
  update: 'Update',
  enable: 'Enable',
  disable: 'Disable',
  delete: 'Delete',
};

interface Prepared {
  invocation: Invocation;
  settings: ConnectionSettings;
}

export function targetHandler(name: TargetActionName): Handler {
  return async (run) => {
    const started = Date.now();
    const answers = !name.startsWith('import-');
    let prepared: Prepared;
    try {
      prepared = await prepare(name, run);
    } catch (error) {
      return invocationFailure(name, error, answers);
    }
    const { invocation, settings } = prepared;
    const reference = invocation.actionContext.References?.Account;
    if (reference) addLogScope({ account: reference });

    const { createClient } = await import('../inplanning/client.js');
    const client = createClient(settings);
    const { run: action } = await LOADERS[name]();
    let result: TargetResult;
    try {
      result = await action({
        action: invocation.actionContext,
        person: invocation.personContext,
        settings,
        client,
        dryRun: Boolean(run.options.preview) || invocation.actionContext.DryRun === true,
        permissionsFile: optionalString(run.options.permissions),
      });
    } catch (error) {
      // Exit 2 promises that nothing was sent; after a request, bad input fails the action.
      if (isInvocationError(error) && client.requestCount === 0) {
        return invocationFailure(name, error, answers);
      }
      logOutcome(name, false, started, client.requestCount, error);
      if (answers) printJson(failedOutput(AUDIT_ACTION[name], error));
      else writeError(describeError(error));
      return 1;
    }
    return report(name, result, run, started, client.requestCount);
  };
}

/** Reads the context, the settings and (with --mapping) computes Data, sending nothing. */
async function prepare(name: TargetActionName, run: CommandRun): Promise<Prepared> {
  const invocation = await readInvocation(optionalString(run.options.context));
  const settings = requireConnection(
    await loadCliSettings({
      fromContext: invocation.actionContext.Configuration ?? undefined,
      configFile: optionalString(run.options.config),
    }),
  );
  const mappingFile = optionalString(run.options.mapping);
  if (mappingFile) await applyMapping(name, mappingFile, invocation);
  if (
    run.options.format !== undefined &&
    !['ndjson', 'json'].includes(String(run.options.format))
  ) {
    throw new InputError(`The --format must be "ndjson" or "json", not "${run.options.format}".`);
  }
  return { invocation, settings };
}

async function readInvocation(source: string | undefined): Promise<Invocation> {
  if (!source) return parseInvocation('{}', 'the defaults');
  if (source === '-') return parseInvocation(await readStdin(), 'stdin');
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    throw new InputError(`The context file ${source} cannot be read.`, { cause: error });
  }
  return parseInvocation(text, source);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function applyMapping(name: TargetActionName, file: string, invocation: Invocation) {
  const mappingAction = MAPPING_ACTION[name];
  if (!mappingAction) {
    throw new InputError(`The --mapping option does not apply to target ${name}.`);
  }
  const { loadFieldMapping, computeData } = await import('../mapping/target.js');
  const mapping = loadFieldMapping(file);
  const person = invocation.personContext;
  // A failing mapping script is the action's failure (exit 1), not a wrong invocation.
  try {
    invocation.actionContext.Data = computeData(mapping, mappingAction, {
      Person: person.Person ?? {},
      Manager: person.Manager ?? {},
    });
  } catch (error) {
    throw new ActionFailure(error);
  }
}

/** Wraps an error that must fail the action (exit 1) although it happened while preparing. */
class ActionFailure extends Error {
  constructor(readonly inner: unknown) {
    super('action failed');
  }
}

function isInvocationError(error: unknown): boolean {
  return (
    error instanceof SettingsError || error instanceof InputError || error instanceof MappingError
  );
}

function invocationFailure(name: TargetActionName, error: unknown, answers: boolean): number {
  const actionFailed = error instanceof ActionFailure;
  const inner = actionFailed ? error.inner : error;
  if (!actionFailed && !isInvocationError(inner)) throw inner;
  writeError(describeError(inner));
  if (answers) printJson(failedOutput(AUDIT_ACTION[name], inner));
  return actionFailed ? 1 : 2;
}

function report(
  name: TargetActionName,
  result: TargetResult,
  run: CommandRun,
  started: number,
  requests: number,
): number {
  if (result.kind === 'rows') {
    if (run.options.format === 'json') printJson(result.rows);
    else process.stdout.write(result.rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    logOutcome(name, true, started, requests, undefined, result.rows.length);
    return 0;
  }
  const output: OutputContext = result.output;
  printJson(output);
  logOutcome(name, output.Success, started, requests);
  return output.Success ? 0 : 1;
}

function logOutcome(
  name: TargetActionName,
  success: boolean,
  started: number,
  requests: number,
  error?: unknown,
  rows?: number,
): void {
  const fields = { action: name, success, durationMs: Date.now() - started, requests, rows };
  if (success) log().info(fields, `target ${name} succeeded`);
  else log().warn({ ...fields, err: error }, `target ${name} failed`);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
