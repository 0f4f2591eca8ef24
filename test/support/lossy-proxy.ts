import { request as httpRequest } from 'node:http';
import { startRecordingServer, type RecordingServer } from './loopback-server.js';

/** What the proxy does with SecPaid's answer after forwarding the request. */
export type LossMode = 'hang' | 'reset' | 'bad-gateway';

/**
 * A loopback proxy that forwards every request to `target` (so the mock really processes it:
 * the link is created) and then loses the answer: it never replies, resets the connection or
 * replies 502 HTML. This is "the request reached SecPaid, the answer did not reach us".
 */
export interface LossyProxy {
  baseUrl: string;
  /** Requests whose answer came back from `target` (and was then lost). */
  forwarded: number;
  close(): Promise<void>;
}

/** Starts a {@link LossyProxy}: the loopback recording server with a forwarding responder. */
export async function startLossyProxy(target: string, mode: LossMode): Promise<LossyProxy> {
  const proxy: LossyProxy = { baseUrl: '', forwarded: 0, close: async () => undefined };
  const server: RecordingServer = await startRecordingServer((recorded, res, req) => {
    const upstream = httpRequest(
      new URL(recorded.url || '/', target),
      { method: recorded.method, headers: recorded.headers },
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
    upstream.end(recorded.body);
  });
  proxy.baseUrl = server.baseUrl;
  proxy.close = () => server.close();
  return proxy;
}
