import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * SecPaid's key check in front of a SecPaid API (docs/secpaid-api.md §2.1: a gateway checks the
 * key before the service sees the request), with a key the test rotates: it accepts one key at
 * a time, answers every other key with SecPaid's documented authentication error (§2.4:
 * `ResponseCode: 0`, `Incorrect token or missing token`; HTTP 401 as the mock chooses), and
 * forwards accepted requests to `upstream` (a `SecPaidMockServer`) with the upstream's own key.
 * It records every key it saw, in arrival order (recorded when the headers arrive).
 *
 * A path prefix before `/api/v2/` names the caller (`baseUrl: gateway.baseUrlFor('r1')`), so
 * several replicas can be told apart in the record.
 */
export interface RotatingKeyGateway {
  /** Origin to use as the module's `baseUrl` (no caller name). */
  baseUrl: string;
  /** Origin plus a caller name, e.g. `http://127.0.0.1:4321/r1`. */
  baseUrlFor(caller: string): string;
  /** Every request, in arrival order: the key it carried, its caller, its endpoint, and whether it was refused. */
  seen: SeenRequest[];
  /** From now on, only `key` is accepted. */
  accept(key: string): void;
  close(): Promise<void>;
}

/** One request as the gateway saw it. */
export interface SeenRequest {
  key: string | undefined;
  /** The path prefix before `/api/v2/`, '' without one. */
  caller: string;
  endpoint: string;
  refused: boolean;
}

/** The documented answer to an unknown key. */
export const INCORRECT_TOKEN_BODY = JSON.stringify({
  ResponseCode: 0,
  ResponseMsg: 'Incorrect token or missing token',
  Result: 'False',
  ServerTime: 'CET',
});

/** Starts a gateway accepting `acceptedKey`, forwarding to `upstream` with `upstreamKey`. */
export async function startRotatingKeyGateway(options: {
  acceptedKey: string;
  upstream: string;
  upstreamKey: string;
}): Promise<RotatingKeyGateway> {
  let accepted = options.acceptedKey;
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    const match = /^(?:\/([^/]+))?(\/api\/v2\/([^/?]+).*)$/.exec(request.url ?? '');
    const token = request.headers['token'];
    const key = typeof token === 'string' ? token : undefined;
    const refused = key !== accepted;
    seen.push({ key, caller: match?.[1] ?? '', endpoint: match?.[3] ?? '', refused });
    if (refused || match === null) {
      request.resume();
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(INCORRECT_TOKEN_BODY);
      return;
    }
    void forward(request, response, options.upstream + match[2]!, options.upstreamKey);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    baseUrlFor: (caller) => `${baseUrl}/${caller}`,
    seen,
    accept(key) {
      accepted = key;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends the request on with the upstream's key and copies the answer back. */
async function forward(
  request: IncomingMessage,
  response: ServerResponse,
  url: string,
  upstreamKey: string,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    const answer = await fetch(url, {
      method: request.method,
      headers: {
        'content-type': String(request.headers['content-type'] ?? 'application/json'),
        token: upstreamKey,
      },
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter !== null) headers['retry-after'] = retryAfter;
    response.writeHead(answer.status, headers);
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    response.destroy();
  }
}
