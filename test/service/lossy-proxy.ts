import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with SecPaid's answer after forwarding the request. */
export type LossMode = 'hang' | 'reset' | 'bad-gateway';

/**
 * A loopback proxy that forwards every request to `target` (so the mock really processes it:
 * the link is created) and then loses the answer: it never replies, resets the connection or
 * replies 502 HTML. This is "the request reached SecPaid, the answer did not reach us".
 */
export interface LossyProxy {
  baseUrl: string;
  forwarded: number;
  close(): Promise<void>;
}

export async function startLossyProxy(target: string, mode: LossMode): Promise<LossyProxy> {
  const proxy: LossyProxy = { baseUrl: '', forwarded: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const upstream = httpRequest(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (answer) => {
          answer.resume();
          answer.on('end', () => {
            proxy.forwarded++;
            if (mode === 'reset') req.socket.destroy();
            if (mode === 'bad-gateway') {
              res.writeHead(502, { 'content-type': 'text/html' });
              res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
            }
            // 'hang': never answer; the client's timeout ends it.
          });
        },
      );
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
