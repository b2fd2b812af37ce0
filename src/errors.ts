/**
 * The typed error tree. Every error carries a stable code, the cause, and a sentence a person
 * can act on. HTTP statuses and InPlanning message codes become these types in
 * `src/inplanning/` and nowhere else.
 */

export type ErrorCode =
  | 'SETTINGS'
  | 'INPUT'
  | 'NOT_FOUND'
  | 'AUTHENTICATION'
  | 'RATE_LIMITED'
  | 'TRANSIENT'
  | 'REJECTED'
  | 'INVALID_RESPONSE'
  | 'NOT_SUPPORTED'
  | 'CONFLICT'
  | 'MAPPING'
  | 'INCOMPLETE';

export interface ConnectorErrorOptions {
  cause?: unknown;
  /** What the person reading the message can do about it. */
  suggestion?: string;
}

export abstract class ConnectorError extends Error {
  abstract readonly code: ErrorCode;
  readonly suggestion: string | undefined;

  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.suggestion = options.suggestion;
  }

  /** The message with its suggestion, as shown to a person. */
  get explanation(): string {
    return this.suggestion ? `${this.message} ${this.suggestion}` : this.message;
  }
}

/** A setting is missing or invalid. Nothing was sent to InPlanning. */
export class SettingsError extends ConnectorError {
  readonly code = 'SETTINGS';
  constructor(
    readonly key: string,
    message: string,
    options?: ConnectorErrorOptions,
  ) {
    super(message, options);
  }
}

/** The invocation's input (flags, context JSON, files) is wrong. Nothing was sent. */
export class InputError extends ConnectorError {
  readonly code = 'INPUT';
}

/** A field mapping or permission catalogue is malformed, or a mapping script failed. */
export class MappingError extends ConnectorError {
  readonly code = 'MAPPING';
  constructor(
    readonly field: string,
    message: string,
    options?: ConnectorErrorOptions,
  ) {
    super(message, options);
  }
}

/** Fields common to errors that came from an HTTP exchange with InPlanning. */
export interface RequestInfo {
  method: string;
  path: string;
  status?: number;
}

export abstract class InPlanningError extends ConnectorError {
  constructor(
    message: string,
    readonly request: RequestInfo | undefined,
    options?: ConnectorErrorOptions,
  ) {
    super(message, options);
  }
}

/** InPlanning answered with message code 211: the item does not exist. */
export class NotFoundError extends InPlanningError {
  readonly code = 'NOT_FOUND';
}

/** The credentials were refused, or no valid token could be obtained. */
export class AuthenticationError extends InPlanningError {
  readonly code = 'AUTHENTICATION';
}

/** InPlanning kept answering 429 until retries or the deadline ran out. */
export class RateLimitedError extends InPlanningError {
  readonly code = 'RATE_LIMITED';
}

/** A failure that may pass (5xx, reset, timeout) persisted after all retries. */
export class TransientError extends InPlanningError {
  readonly code = 'TRANSIENT';
}

/** InPlanning refused the request (a 4xx with its own message). */
export class RejectedError extends InPlanningError {
  readonly code = 'REJECTED';
}

/** InPlanning answered with something that does not fit the expected shape. */
export class InvalidResponseError extends InPlanningError {
  readonly code = 'INVALID_RESPONSE';
}

/** InPlanning does not offer this operation (for example DELETE of a user). */
export class NotSupportedError extends InPlanningError {
  readonly code = 'NOT_SUPPORTED';
}

/** A write could not be verified or conflicted with another writer. */
export class ConflictError extends ConnectorError {
  readonly code = 'CONFLICT';
}

/** A read could not deliver everything it was asked for (fail closed). */
export class IncompleteError extends ConnectorError {
  readonly code = 'INCOMPLETE';
}

/** A sentence for any thrown value, preferring the typed explanation. */
export function describeError(error: unknown): string {
  if (error instanceof ConnectorError) return error.explanation;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A JSON syntax error without the excerpt of the text that V8 quotes in its message, since the
 * text may hold a secret (a settings file, a context with its Configuration).
 */
export function withoutExcerpt(error: unknown): SyntaxError {
  const message = error instanceof Error ? error.message : String(error);
  return new SyntaxError(message.includes('"') ? 'Unexpected token in JSON' : message);
}
