/**
 * Settings: one flat object with the keys engine configurations use, merged from
 * actionContext.Configuration, the --config file and INPLANNING_* environment variables
 * (in that order of precedence, lowest first), matched case-insensitively and validated with zod.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { SettingsError, withoutExcerpt } from './errors.js';

const intSetting = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const boolSetting = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off', ''].includes(text)) return false;
    return value;
  },
  z.boolean({ error: 'must be true or false' }),
);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function isSecureEnough(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}

// zod runs every refinement even after one failed, so each must cope with any text.
const baseUrlSetting = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .refine((text) => URL.canParse(text), { error: 'is not a valid URL' })
  .refine((text) => !URL.canParse(text) || isSecureEnough(new URL(text)), {
    error: 'must use https (plain http is allowed only on a loopback host)',
  })
  .transform((text) => text.replace(/\/+$/, ''));

const timeZoneSetting = z
  .string()
  .refine((zone) => isValidTimeZone(zone), { error: 'is not a known IANA time zone' });

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every setting with its default. Credentials are optional here; see requireConnection. */
export const settingsSchema = z.object({
  BaseUrl: baseUrlSetting.optional(),
  ClientId: z.string().optional(),
  ClientSecret: z.string().optional(),
  AuthMethod: z.enum(['body', 'basic'], { error: 'must be "body" or "basic"' }).default('body'),
  TimeZone: timeZoneSetting.default('Europe/Amsterdam'),
  HistoricalDays: intSetting(0, 366).default(1),
  FutureDays: intSetting(0, 366).default(14),
  AccessLeadMinutes: intSetting(0, 24 * 60).default(60),
  AccessLagMinutes: intSetting(0, 24 * 60).default(30),
  PersonSource: z
    .enum(['users', 'humanresources'], { error: 'must be "users" or "humanresources"' })
    .default('users'),
  RosterMode: z
    .enum(['group', 'resource'], { error: 'must be "group" or "resource"' })
    .default('group'),
  IncludePersonsWithoutShifts: boolSetting.default(false),
  MaxRemovedPercent: intSetting(0, 100).optional(),
  RoleEndDateFromContract: boolSetting.default(false),
  Concurrency: intSetting(1, 64).default(8),
  RequestTimeoutSeconds: intSetting(1, 300).default(10),
  MaxRetries: intSetting(0, 20).default(4),
  DeadlineSeconds: intSetting(1, 3600).default(25),
  StateDir: z.string().min(1).default(defaultStateDir()),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Settings after the connection keys were checked to be present. */
export type ConnectionSettings = Settings & {
  BaseUrl: string;
  ClientId: string;
  ClientSecret: string;
};

function defaultStateDir(): string {
  const user =
    typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `inplanning-connector-${user}`);
}

/** Aliases accepted for a canonical key (Basic-auth names of the credentials). */
const ALIASES: Record<string, string> = { username: 'ClientId', password: 'ClientSecret' };

const canonicalKeys = new Map(
  Object.keys(settingsSchema.shape).map((key) => [normaliseKey(key), key] as const),
);

function normaliseKey(key: string): string {
  return key.replace(/[_\s-]/g, '').toLowerCase();
}

/** Maps each key of `raw` to its canonical setting name; unknown keys are dropped. */
function canonicalise(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const named = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    const normal = normaliseKey(key);
    const exact = canonicalKeys.get(normal);
    const canonical = exact ?? ALIASES[normal];
    if (canonical === undefined || value === undefined || value === null) continue;
    // An empty value in the engine's form means "not set", so the default applies.
    if (value === '') continue;
    // Within one source the canonical name wins over its alias, whatever their order.
    if (exact === undefined && named.has(canonical)) continue;
    if (exact !== undefined) named.add(canonical);
    out[canonical] = value;
  }
  return out;
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('INPLANNING_') && value !== undefined) raw[key.slice(11)] = value;
  }
  return canonicalise(raw);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SettingsError('--config', `The settings file ${file} cannot be read.`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SettingsError('--config', `The settings file ${file} is not valid JSON.`, {
      cause: withoutExcerpt(error),
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsError('--config', `The settings file ${file} must hold one JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

export interface SettingsSources {
  /** actionContext.Configuration, the lowest precedence. */
  fromContext?: Record<string, unknown> | undefined;
  /** Path of the --config file. */
  configFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** Merges and validates the settings; throws SettingsError naming the first bad key. */
export function loadSettings(sources: SettingsSources = {}): Settings {
  const merged = {
    ...canonicalise(sources.fromContext ?? {}),
    ...(sources.configFile ? canonicalise(readConfigFile(sources.configFile)) : {}),
    ...fromEnvironment(sources.env ?? process.env),
  };
  const result = settingsSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? 'settings');
    const shown = key === 'ClientSecret' ? '' : ` (got ${JSON.stringify(merged[key])})`;
    throw new SettingsError(key, `The setting ${key} ${issue?.message ?? 'is invalid'}${shown}.`);
  }
  return result.data;
}

/** Checks that the settings can reach InPlanning: BaseUrl and both credentials are present. */
export function requireConnection(settings: Settings): ConnectionSettings {
  for (const key of ['BaseUrl', 'ClientId', 'ClientSecret'] as const) {
    if (!settings[key]) {
      throw new SettingsError(key, `The setting ${key} is required to reach InPlanning.`, {
        suggestion:
          'Set it in the --config file, in actionContext.Configuration or as ' +
          `INPLANNING_${toSnake(key)}.`,
      });
    }
  }
  return settings as ConnectionSettings;
}

function toSnake(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}
