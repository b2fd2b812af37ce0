/**
 * What the msw unit tests of target actions share: the fake tenant's base URL, the settings that
 * point at it, an action's input built from an engine-style actionContext, and reading results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpResponse } from 'msw';
import { type ConnectionSettings, loadSettings, requireConnection } from '../../src/config.js';
import { actionContextSchema, type OutputContext, personContextSchema } from '../../src/context.js';
import { createClient } from '../../src/inplanning/client.js';
import type { TargetInput, TargetResult } from '../../src/target/types.js';

export const ORIGIN = 'https://tenant.test.rooster.nl';
export const BASE_URL = `${ORIGIN}/InPlanningService/rest`;
export const API = `${BASE_URL}/api`;

/** A request a fake received (token requests are not recorded). */
export interface SentRequest {
  method: string;
  /** Below the API root, still percent-encoded, with the query (e.g. `/users/a%40b`). */
  path: string;
  body: unknown;
}

/** InPlanning's answer for a user that does not exist. */
export const notFound = () =>
  HttpResponse.json(
    { message: "211 - user: The item you're trying to edit does not exist." },
    { status: 400 },
  );

/** A fresh temporary folder for one test file, and a function that removes it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `inplanning-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Settings pointing at the fake tenant, with few and quick retries. */
export function fakeTenantSettings(
  stateDir: string,
  extra: Record<string, unknown> = {},
): ConnectionSettings {
  return requireConnection(
    loadSettings({
      fromContext: {
        BaseUrl: BASE_URL,
        ClientId: 'unit-client',
        ClientSecret: 'unit-secret',
        StateDir: stateDir,
        MaxRetries: 1,
        RequestTimeoutSeconds: 2,
        ...extra,
      },
      env: {},
    }),
  );
}

export interface InputOptions {
  dryRun?: boolean;
  personContext?: Record<string, unknown>;
  permissionsFile?: string | undefined;
}

/** Builds an action's input from an actionContext written as the engine would (any casing). */
export function targetInput(
  settings: ConnectionSettings,
  actionContext: Record<string, unknown>,
  options: InputOptions = {},
): TargetInput {
  const action = actionContextSchema.parse(actionContext);
  return {
    action,
    person: personContextSchema.parse(options.personContext ?? {}),
    settings,
    client: createClient(settings),
    dryRun: options.dryRun ?? action.DryRun === true,
    permissionsFile: options.permissionsFile,
  };
}

/** The outputContext of an action's result (fails the test on rows). */
export function outputOf(result: TargetResult): OutputContext {
  if (result.kind !== 'output') throw new Error('expected an outputContext, got rows');
  return result.output;
}

/** The rows of an import's result (fails the test on an outputContext). */
export function rowsOf(result: TargetResult): unknown[] {
  if (result.kind !== 'rows') throw new Error('expected rows, got an outputContext');
  return result.rows;
}
