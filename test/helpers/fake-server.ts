/**
 * A tiny HTTP server on 127.0.0.1 for tests that spawn processes (msw cannot reach a child):
 * it records every request and answers through a handler the test supplies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as sent (still percent-encoded). */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the handler answers: a status with a JSON (or text) body, or a reset connection. */
export type FakeAnswer =
  { status: number; json?: unknown; text?: string; headers?: Record<string, string> } | 'reset';

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the server; the default handler answers 404 to everything. */
export async function startFakeServer(
  handler: (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer> = () => ({
    status: 404,
    json: { message: 'no handler' },
  }),
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      void Promise.resolve(handler(recorded)).then((answer) => respond(req, res, answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(req: http.IncomingMessage, res: http.ServerResponse, answer: FakeAnswer): void {
  if (answer === 'reset') {
    req.socket.destroy();
    return;
  }
  const isJson = answer.text === undefined;
  const body = isJson ? JSON.stringify(answer.json ?? null) : (answer.text ?? '');
  res.writeHead(answer.status, {
    'Content-Type': isJson ? 'application/json' : 'text/plain',
    ...answer.headers,
  });
  res.end(body);
}
