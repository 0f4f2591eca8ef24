import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The one loopback HTTP server of the test suite: a `node:http` server on 127.0.0.1 that records
 * every request (method, URL, headers, full body) and answers with a replaceable responder. The
 * fake SecPaid endpoints, the webhook receivers and the lossy proxy of the specs are all this
 * server with a different responder.
 */

/** A request as the loopback server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes as received (`body` is their lenient UTF-8 reading). */
  rawBody: Buffer;
}

/**
 * Decides the answer to a request, called once its body is read. `incoming` is the raw request
 * (its socket, e.g. to reset the connection).
 */
export type Responder = (
  request: RecordedRequest,
  response: ServerResponse,
  incoming: IncomingMessage,
) => void;

/** A recording loopback server; close it in `afterAll` (or `afterEach`). */
export interface RecordingServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  port: number;
  /** Every request seen, in arrival order (clear with `requests.length = 0`). */
  requests: RecordedRequest[];
  /** Requests whose socket closed before the server answered (the client gave up). */
  abandoned: RecordedRequest[];
  /** Replaces the responder for the following requests. */
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

/** The default answer: 200 with an empty successful SecPaid envelope. */
export const okEnvelope: Responder = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ ResponseCode: 1, ResponseMsg: 'ok', Result: 'True', data: [] }));
};

/** Answers `status` with a short text body (a webhook receiver). */
export function answerStatus(status: number): Responder {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end('ok');
  };
}

/** Never answers (the client's timeout or abort has to end the request). */
export const hang: Responder = () => undefined;

/** Starts a recording server on 127.0.0.1:0 answering with `responder` (default {@link okEnvelope}). */
export async function startRecordingServer(
  responder: Responder = okEnvelope,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const abandoned: RecordedRequest[] = [];
  let current = responder;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        rawBody: Buffer.concat(chunks),
      };
      requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) abandoned.push(recorded);
      });
      current(recorded, res, req);
    });
  });
  const port = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    requests,
    abandoned,
    respondWith(next) {
      current = next;
    },
    close: () => closeServer(server),
  };
}

/** A loopback port on which nothing listens (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await closeServer(server);
  return port;
}

async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
