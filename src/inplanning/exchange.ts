/**
 * One HTTP exchange over node:http(s) with keep-alive agents and a timeout that covers the whole
 * exchange, body included. Retrying and classifying are the transport's job (http.ts).
 */
import http from 'node:http';
import https from 'node:https';

export interface Exchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  timeoutMs: number;
}

export interface RawAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

/** An exchange that failed without an answer; `code` is the system code (ECONNRESET, ...). */
export class ExchangeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExchangeError';
  }
}

/** Keep-alive agents, one per protocol, shared by every exchange of one transport. */
export class Agents {
  private readonly http: http.Agent;
  private https: https.Agent | undefined;

  constructor(private readonly maxSockets: number) {
    this.http = new http.Agent({ keepAlive: true, maxSockets });
  }

  for(protocol: string): http.Agent {
    if (protocol !== 'https:') return this.http;
    this.https ??= new https.Agent({ keepAlive: true, maxSockets: this.maxSockets });
    return this.https;
  }
}

/** Sends one request and resolves with the answer, or rejects with an ExchangeError. */
export function exchange(agents: Agents, request: Exchange): Promise<RawAnswer> {
  const url = new URL(request.url);
  const send = url.protocol === 'https:' ? https.request : http.request;
  const headers: Record<string, string | number> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);

  return new Promise((resolve, reject) => {
    const outgoing = send(url, {
      method: request.method,
      headers,
      agent: agents.for(url.protocol),
    });
    const timer = setTimeout(() => {
      outgoing.destroy(new ExchangeError('ETIMEDOUT', `No answer within ${request.timeoutMs} ms.`));
    }, request.timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(asExchangeError(error));
    };

    outgoing.on('error', fail);
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', fail);
      incoming.on('aborted', () =>
        fail(new ExchangeError('ECONNRESET', 'The answer was cut off.')),
      );
      incoming.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: incoming.statusCode ?? 0,
          headers: flattenHeaders(incoming.headers),
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    outgoing.end(request.body);
  });
}

function asExchangeError(error: unknown): ExchangeError {
  if (error instanceof ExchangeError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  // A failure without a system code (a destroyed socket, a test double's network error) is
  // a lost connection: the request may or may not have arrived.
  return new ExchangeError(typeof code === 'string' ? code : 'ENOANSWER', message, {
    cause: error,
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
