/** The simulator behind node:http: each request becomes a Fetch Request for the one handler. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from '../log.js';
import type { Credentials } from './auth.js';
import { createSimulator, type Simulator, type SimulatorOptions } from './handler.js';
import { isResetConnection } from './http.js';
import type { SimulatorStats } from './traffic.js';

export interface ServerOptions extends SimulatorOptions {
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
}

export interface RunningSimulator {
  /** The service-form base URL, ending in `/InPlanningService/rest`. */
  baseUrl: string;
  /** The admin-form base URL, ending in `/InPlanningServiceAdmin/rest/api`. */
  adminBaseUrl: string;
  /** The server root, where `/_sim/stats` and `/_sim/state` live. */
  rootUrl: string;
  credentials: Credentials;
  simulator: Simulator;
  stats(): SimulatorStats;
  /** Stops listening, ends open connections and pending delays. */
  close(): Promise<void>;
}

/** Starts a simulator on node:http and resolves once it listens. */
export async function startSimulatorServer(options: ServerOptions = {}): Promise<RunningSimulator> {
  const simulator = createSimulator(options);
  const server = createServer((request, response) => {
    void serve(simulator, request, response);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const rootUrl = rootOf(server.address() as AddressInfo);

  return {
    baseUrl: `${rootUrl}/InPlanningService/rest`,
    adminBaseUrl: `${rootUrl}/InPlanningServiceAdmin/rest/api`,
    rootUrl,
    credentials: simulator.credentials,
    simulator,
    stats: () => simulator.stats(),
    close: () => closeServer(server, simulator),
  };
}

function rootOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

async function closeServer(server: ReturnType<typeof createServer>, simulator: Simulator) {
  simulator.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

async function serve(simulator: Simulator, incoming: IncomingMessage, outgoing: ServerResponse) {
  const started = performance.now();
  const aborted = new AbortController();
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) aborted.abort();
  });
  try {
    const request = await toRequest(incoming, aborted.signal);
    const response = await simulator.handle(request);
    if (aborted.signal.aborted) return;
    if (isResetConnection(response)) {
      incoming.socket.destroy();
      return;
    }
    await writeResponse(response, outgoing);
    logRequest(incoming, response.status, started);
  } catch (error) {
    log().error({ err: error }, 'simulator could not answer a request');
    if (!outgoing.headersSent) outgoing.writeHead(500).end();
    else outgoing.destroy();
  }
}

async function toRequest(incoming: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(incoming);
  const url = `http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`;
  return new Request(url, { method, headers, body, signal });
}

/** The body as text: every body the API accepts is JSON or a form. */
async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = { 'content-length': String(body.length) };
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

function logRequest(incoming: IncomingMessage, status: number, started: number): void {
  const logger = log();
  if (!logger.isLevelEnabled('debug')) return;
  const ms = Math.round(performance.now() - started);
  logger.debug({ method: incoming.method, path: incoming.url, status, ms }, 'simulator request');
}
