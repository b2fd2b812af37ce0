/**
 * Records what an msw server intercepted, so a test can assert the requests that were sent:
 * method, the URL as sent (still percent-encoded), headers, body and arrival time.
 */
import type { SetupServer } from 'msw/node';

export interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  /** Date.now() when msw saw the request. */
  at: number;
}

export interface RequestLog {
  /** The requests so far, in the order they arrived. */
  all(): Promise<SentRequest[]>;
  /** Forgets what was recorded. */
  clear(): void;
}

/** Starts recording every request `server` sees (handled or not). */
export function recordRequests(server: SetupServer): RequestLog {
  let entries: { sent: Omit<SentRequest, 'body'>; body: Promise<string> }[] = [];
  server.events.on('request:start', ({ request }) => {
    const sent = {
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      at: Date.now(),
    };
    entries.push({ sent, body: request.clone().text() });
  });
  return {
    all: () =>
      Promise.all(entries.map(async (entry) => ({ ...entry.sent, body: await entry.body }))),
    clear: () => {
      entries = [];
    },
  };
}
