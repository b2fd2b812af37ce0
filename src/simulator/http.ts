/** Small helpers for building the simulator's Fetch responses. */

/** A failure the simulated service answers with: an HTTP status and a JSON body. */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : JSON.stringify(body));
  }
}

/** A rejection with InPlanning's usual `{"message": ...}` body. */
export function rejectWith(status: number, message: string): Rejection {
  return new Rejection(status, { message });
}

/** The 211 "not found" answer, which the service sends with HTTP 400. */
export function notFound(kind: string, key: string): Rejection {
  return rejectWith(400, `211 - ${kind}: The item you're trying to edit does not exist (${key}).`);
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** A JSON response from an already serialized body. */
export function jsonText(status: number, text: string, headers: Record<string, string> = {}) {
  return new Response(text, { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** A JSON response from a value. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}) {
  return jsonText(status, JSON.stringify(value), headers);
}

/** The response that stands for a reset connection; adapters turn it into a socket reset. */
export function resetConnection(): Response {
  return Response.error();
}

/** True for the response that stands for a reset connection. */
export function isResetConnection(response: Response): boolean {
  return response.type === 'error';
}

/**
 * Waits `ms` milliseconds unless `signal` aborts first; resolves to false when aborted. The timer
 * does not keep the process alive.
 */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    timer.unref?.();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
