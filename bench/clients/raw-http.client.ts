import { Agent, request } from 'node:http';
import type { BenchClient } from './bench-client.js';
import { BENCH_AMOUNT } from './bench-client.js';

/**
 * Baseline (a): what a careful hand-written integration does with `node:http` and a keep-alive
 * agent: JSON body, `token` header, JSON.parse of the answer and the envelope check.
 */
export class RawHttpClient implements BenchClient {
  readonly name = 'node:http';
  private readonly agent = new Agent({ keepAlive: true });
  private readonly host: string;
  private readonly port: number;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
  ) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  getMyUnusedLinks(): Promise<unknown> {
    return this.post('getMyUnusedLinks', {});
  }

  createLink(note: string): Promise<unknown> {
    return this.post('createLink', { amount: BENCH_AMOUNT, recipient_note: note });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private post(endpoint: string, body: object): Promise<unknown> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          path: `/api/v2/${endpoint}`,
          method: 'POST',
          agent: this.agent,
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            token: this.apiKey,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            try {
              const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
                ResponseCode?: unknown;
                data?: unknown;
              };
              if (envelope.ResponseCode !== 1)
                reject(new Error(`${endpoint}: HTTP ${res.statusCode}`));
              else resolve(envelope.data);
            } catch (error) {
              reject(error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
