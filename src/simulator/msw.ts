/** The simulator behind msw, for unit tests that fake InPlanning without a server. */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { Simulator } from './handler.js';
import { isResetConnection } from './http.js';

/**
 * msw handlers that answer every request to the origin of `baseUrl` (so both base URL forms and
 * `/_sim` work) with the simulator; a reset connection becomes a network error.
 */
export function simulatorHandlers(simulator: Simulator, baseUrl: string): HttpHandler[] {
  const origin = new URL(baseUrl).origin;
  return [
    http.all(`${origin}/*`, async ({ request }) => {
      const response = await simulator.handle(request);
      return isResetConnection(response) ? HttpResponse.error() : response;
    }),
  ];
}
