/**
 * The logger: JSON lines to stderr through pino. Every line carries the invocation's command and,
 * once known, the account reference (kept in AsyncLocalStorage, so no logger is passed around).
 * Secrets are redacted at any depth, by key name and by known value.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

export interface LogScope {
  command?: string;
  account?: string;
}

const scope = new AsyncLocalStorage<LogScope>();
const secretValues = new Set<string>();
const SECRET_KEY = /secret|password|passwd|token|authorization|^cookie$/i;
const REDACTED = '[redacted]';

/**
 * Remembers a secret value so that it is scrubbed from every string that is logged, also in its
 * URL- and form-encoded forms (as it travels in a token request body).
 */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4) return;
  secretValues.add(value);
  secretValues.add(encodeURIComponent(value));
  secretValues.add(new URLSearchParams({ v: value }).toString().slice(2));
}

function scrubString(text: string): string {
  let out = text;
  for (const secret of secretValues) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  // Bearer and Basic credentials in free text (an echoed header, an error message).
  return out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`);
}

/** A copy of a value with secret keys and known secret values redacted, at any depth. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 12 || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const plain: Record<string, unknown> = { type: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) plain.code = code;
    if (value.cause !== undefined) plain.cause = value.cause;
    return redact(plain, depth + 1, seen);
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item != null ? REDACTED : redact(item, depth + 1, seen);
  }
  return out;
}

/** The level from INPLANNING_LOG_LEVEL when it names one, else info (a typo must not crash). */
function initialLevel(): string {
  const wanted = process.env.INPLANNING_LOG_LEVEL?.trim().toLowerCase();
  return wanted && Object.hasOwn(pino.levels.values, wanted) ? wanted : 'info';
}

function createLogger(): Logger {
  return pino(
    {
      level: initialLevel(),
      // redact() has already turned errors into plain objects with their type and cause;
      // pino's own error serializer would rename the type to "Object" and flatten the causes.
      serializers: { err: (value: unknown) => value },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...scope.getStore() }),
      hooks: {
        logMethod(args, method) {
          const clean = args.map((arg) => redact(arg)) as Parameters<typeof method>;
          method.apply(this, clean);
        },
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

let instance: Logger | undefined;

/** The process-wide logger, created on first use. */
export function log(): Logger {
  instance ??= createLogger();
  return instance;
}

export function setLogLevel(level: string): void {
  log().level = level;
}

/** Runs `fn` with `fields` added to every log line written inside it. */
export function withLogScope<T>(fields: LogScope, fn: () => T): T {
  return scope.run({ ...scope.getStore(), ...fields }, fn);
}

/** Adds fields (such as the account reference once known) to the current scope. */
export function addLogScope(fields: LogScope): void {
  const store = scope.getStore();
  if (store) Object.assign(store, fields);
}
