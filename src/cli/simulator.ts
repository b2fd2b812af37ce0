/**
 * `inplanning simulator`: serves the InPlanning simulator until SIGINT or SIGTERM. The first line
 * on stdout tells a caller where it listens and with which credentials.
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { describeError, InputError } from '../errors.js';
import { log, registerSecret } from '../log.js';
import { parseDate } from '../simulator/dates.js';
import type { RunningSimulator, ServerOptions } from '../simulator/server.js';
import { printJson, writeError } from './output.js';
import type { CommandRun, Handler } from './registry.js';

/** A whole number flag within bounds; the message completes "--flag must be ...". */
function whole(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .refine((value) => value >= min && value <= max, {
      error: `must be a whole number from ${min} to ${max}`,
    });
}

const optionsSchema = z.object({
  host: z.string().trim().min(1, { error: 'must not be empty' }),
  port: whole(0, 65_535),
  data: z.string().trim().min(1, { error: 'must name a file' }).optional(),
  seed: whole(0, 4_294_967_295),
  users: whole(1, 500_000),
  days: whole(1, 366),
  today: z
    .string()
    .trim()
    .refine((text) => parseDate(text) !== undefined, { error: 'must be a date yyyy-MM-dd' })
    .optional(),
  latency: whole(0, 600_000),
  faultRate: z
    .string()
    .trim()
    .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, { error: 'must be a number from 0 to 1' })
    .transform(Number),
  tokenTtl: whole(1, 31_536_000),
  maxConcurrent: whole(1, 100_000).optional(),
});

type SimulatorFlags = z.infer<typeof optionsSchema>;

/** commander's camelCase option names back as the flags a person typed. */
function flagName(key: PropertyKey | undefined): string {
  return `--${String(key ?? 'option').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function parseFlags(options: Record<string, unknown>): SimulatorFlags {
  const result = optionsSchema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InputError(`${flagName(issue?.path[0])} ${issue?.message ?? 'is invalid'}.`);
}

async function readTenant(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    const reason = describeError(error).replace(/\.?$/, '.');
    throw new InputError(`--data cannot be read as JSON from ${file}: ${reason}`);
  }
}

async function serverOptions(run: CommandRun): Promise<ServerOptions> {
  const flags = parseFlags(run.options);
  return {
    host: flags.host,
    port: flags.port,
    data: flags.data === undefined ? undefined : await readTenant(flags.data),
    seed: flags.seed,
    users: flags.users,
    days: flags.days,
    today: flags.today,
    latency: flags.latency,
    faultRate: flags.faultRate,
    tokenTtl: flags.tokenTtl,
    maxConcurrent: flags.maxConcurrent,
  };
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function announce(running: RunningSimulator): void {
  const { clientId, clientSecret } = running.credentials;
  registerSecret(clientSecret);
  // Basic auth uses the same pair: username is the client id, password the client secret.
  printJson({
    baseUrl: running.baseUrl,
    adminBaseUrl: running.adminBaseUrl,
    clientId,
    clientSecret,
    username: clientId,
    password: clientSecret,
  });
  const accounts = running.simulator.tenant.userCount;
  log().info({ baseUrl: running.baseUrl, accounts }, 'simulator listening');
}

export const simulatorHandler: Handler = async (run) => {
  let options: ServerOptions;
  try {
    options = await serverOptions(run);
  } catch (error) {
    writeError(describeError(error));
    return 2;
  }

  const { startSimulatorServer } = await import('../simulator/server.js');
  let running: RunningSimulator;
  try {
    running = await startSimulatorServer(options);
  } catch (error) {
    // The only input the server itself checks is the tenant of --data.
    if (error instanceof InputError) {
      writeError(`--data ${String(run.options.data)} is not a tenant: ${error.message}`);
      return 2;
    }
    writeError(`The simulator could not start: ${describeError(error)}`);
    return 1;
  }

  announce(running);
  const signal = await untilSignal();
  const requests = Object.values(running.stats().requests).reduce((sum, count) => sum + count, 0);
  log().info({ signal, requests }, 'simulator stopping');
  await running.close();
  return 0;
};
