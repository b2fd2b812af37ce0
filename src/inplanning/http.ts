/**
 * HTTP to InPlanning: one request with a timeout, retried with exponential backoff and jitter on
 * 429, 502, 503, 504, resets and timeouts (honouring Retry-After), within MaxRetries and a total
 * deadline. This is the one place where statuses and InPlanning codes become typed errors.
 */
import {
  AuthenticationError,
  type ConnectorError,
  NotFoundError,
  NotSupportedError,
  RateLimitedError,
  RejectedError,
  type RequestInfo,
  TransientError,
} from '../errors.js';
import { log } from '../log.js';
import { Agents, exchange, type RawAnswer } from './exchange.js';

export interface HttpOptions {
  timeoutMs: number;
  maxRetries: number;
  deadlineMs: number;
  maxSockets: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Full URL, already encoded. */
  url: string;
  /** Path for messages and logs (no host, no query secrets). */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whether sending twice is harmless; a POST is retried only when it surely did not arrive. */
  idempotent: boolean;
}

/** A parsed answer: the status and the body as JSON when it is JSON, else as text. */
export interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** The code given to a request that failed without an answer and without a system code. */
const NO_ANSWER = 'ENOANSWER';
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ERR_CANCELED',
  'ECANCELED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  NO_ANSWER,
]);

/** A transport that retries and classifies; auth is layered on top of it by the client. */
export class HttpTransport {
  private readonly agents: Agents;
  sent = 0;

  constructor(private readonly options: HttpOptions) {
    this.agents = new Agents(options.maxSockets);
  }

  /**
   * Sends `request` until it gets an answer that is not worth retrying, and returns it.
   * Throws TransientError or RateLimitedError when retries or the deadline run out. A caller
   * making several requests for one operation passes one `deadline` (epoch ms) to all of them.
   */
  async send(request: HttpRequest, deadline = this.deadlineFromNow()): Promise<HttpAnswer> {
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.attempt(request, deadline);
      const retryable = this.isRetryable(request, outcome);
      const wait = retryable ? this.backoff(attempt, outcome) : 0;
      if (!retryable || attempt >= this.options.maxRetries || Date.now() + wait >= deadline) {
        if ('error' in outcome) throw this.networkFailure(request, outcome, attempt);
        if (retryable) throw statusFailure(request, outcome.answer, attempt);
        return outcome.answer;
      }
      log().debug({ path: request.path, attempt, wait }, 'retrying an InPlanning request');
      await sleep(wait);
    }
  }

  /** The epoch-ms deadline of an operation that starts now. */
  deadlineFromNow(): number {
    return Date.now() + this.options.deadlineMs;
  }

  private async attempt(request: HttpRequest, deadline: number): Promise<Outcome> {
    const timeout = Math.max(1, Math.min(this.options.timeoutMs, deadline - Date.now()));
    this.sent += 1;
    try {
      const raw = await exchange(this.agents, {
        method: request.method,
        url: request.url,
        headers: { Accept: 'application/json', ...request.headers },
        body: request.body,
        timeoutMs: timeout,
      });
      return { answer: toAnswer(raw) };
    } catch (error) {
      const code = (error as { code?: string }).code ?? NO_ANSWER;
      return { error, code, sentBody: code !== 'ECONNREFUSED' };
    }
  }

  private isRetryable(request: HttpRequest, outcome: Outcome): boolean {
    if ('error' in outcome) {
      // A POST that may have arrived is not repeated blindly: its caller checks first.
      return NETWORK_CODES.has(outcome.code) && (request.idempotent || !outcome.sentBody);
    }
    const status = outcome.answer.status;
    // InPlanning's "not found" is final, whatever status a gateway put around it.
    if (isNotFound(outcome.answer)) return false;
    if (status === 429) return true;
    return RETRY_STATUSES.has(status) && request.idempotent;
  }

  private backoff(attempt: number, outcome: Outcome): number {
    const exponential = Math.min(8_000, 200 * 2 ** attempt);
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    if ('answer' in outcome) {
      const retryAfter = parseRetryAfter(outcome.answer.headers['retry-after']);
      if (retryAfter !== undefined) return Math.max(retryAfter, 50) + Math.random() * 100;
    }
    return jittered;
  }

  private networkFailure(request: HttpRequest, outcome: NetworkOutcome, attempt: number) {
    const info: RequestInfo = { method: request.method, path: request.path };
    const tries = attempt + 1;
    const call = `${request.method} ${request.path}`;
    return new TransientError(
      `InPlanning did not answer ${call} (${outcome.code}) after ${tries} attempt(s).`,
      info,
      {
        cause: outcome.error,
        suggestion: 'Check that BaseUrl is reachable; the engine will retry the action later.',
      },
    );
  }
}

type NetworkOutcome = { error: unknown; code: string; sentBody: boolean };

type Outcome = { answer: HttpAnswer } | NetworkOutcome;

function toAnswer(raw: RawAnswer): HttpAnswer {
  return { status: raw.status, body: parseBody(raw.text), headers: raw.headers };
}

function parseBody(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Retry-After in milliseconds, from seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - Date.now()), 30_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The message InPlanning gave, from a JSON `message`/`error_description` or plain text. */
export function messageOf(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 500);
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['message', 'Message', 'error_description', 'error']) {
      if (typeof record[key] === 'string') return record[key] as string;
    }
  }
  return '';
}

/** OAuth error codes that mean the credentials or the token were refused. */
const TOKEN_ERRORS = new Set([
  'invalid_token',
  'token_expired',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'access_denied',
]);

/**
 * The `error` field of an OAuth-style token error, if it holds one of the OAuth codes (other
 * services put free text such as "Bad Request" in a field of the same name).
 */
export function tokenErrorOf(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const error = (body as Record<string, unknown>).error;
    if (typeof error === 'string' && TOKEN_ERRORS.has(error.trim().toLowerCase())) {
      return error.trim().toLowerCase();
    }
  }
  return undefined;
}

const NOT_FOUND_CODE = /(^|[^0-9])211([^0-9]|$)/;

/** Whether an answer says "not found" by InPlanning's code 211, whatever the HTTP status. */
export function isNotFound(answer: HttpAnswer): boolean {
  return answer.status >= 400 && NOT_FOUND_CODE.test(messageOf(answer.body));
}

function statusFailure(request: HttpRequest, answer: HttpAnswer, attempt: number) {
  const info: RequestInfo = { method: request.method, path: request.path, status: answer.status };
  const tries = attempt + 1;
  const call = `${request.method} ${request.path}`;
  if (answer.status === 429) {
    return new RateLimitedError(
      `InPlanning kept refusing ${call} as too many requests (429) after ${tries} attempt(s).`,
      info,
      { suggestion: 'Lower Concurrency, or run fewer actions at once.' },
    );
  }
  return new TransientError(
    `InPlanning answered ${call} with HTTP ${answer.status} after ${tries} attempt(s).`,
    info,
    { suggestion: 'InPlanning may be down or overloaded; the engine will retry the action later.' },
  );
}

/** Turns a final non-2xx answer into the typed error it stands for. */
export function classify(request: HttpRequest, answer: HttpAnswer): ConnectorError {
  const info: RequestInfo = { method: request.method, path: request.path, status: answer.status };
  const message = messageOf(answer.body);
  const where = `${request.method} ${request.path}`;
  if (isNotFound(answer)) {
    return new NotFoundError(`InPlanning reports that the item does not exist (${where}).`, info, {
      cause: message,
    });
  }
  const tokenError = tokenErrorOf(answer.body);
  if (answer.status === 401 || answer.status === 403 || tokenError) {
    return new AuthenticationError(
      `InPlanning refused the credentials for ${where} (${tokenError ?? `HTTP ${answer.status}`}).`,
      info,
      { suggestion: 'Check ClientId, ClientSecret, AuthMethod and BaseUrl.' },
    );
  }
  if (request.method === 'DELETE' && (answer.status === 404 || answer.status === 405)) {
    return new NotSupportedError(`InPlanning does not support ${where}.`, info);
  }
  if (answer.status === 429 || answer.status >= 500) return statusFailure(request, answer, 0);
  return new RejectedError(
    `InPlanning rejected ${where} with HTTP ${answer.status}: ${message || 'no message'}.`,
    info,
  );
}
