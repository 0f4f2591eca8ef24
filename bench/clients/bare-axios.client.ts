import { Agent } from 'node:http';
import axios, { type AxiosInstance } from 'axios';
import type { BenchClient } from './bench-client.js';
import { BENCH_AMOUNT } from './bench-client.js';

/** Baseline (b): a bare axios instance with the same keep-alive agent and headers. */
export class BareAxiosClient implements BenchClient {
  readonly name = 'axios';
  private readonly agent = new Agent({ keepAlive: true });
  private readonly http: AxiosInstance;

  constructor(baseUrl: string, apiKey: string) {
    this.http = axios.create({
      baseURL: baseUrl,
      httpAgent: this.agent,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', token: apiKey },
    });
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

  private async post(endpoint: string, body: object): Promise<unknown> {
    const response = await this.http.post<{ ResponseCode?: unknown; data?: unknown }>(
      `/api/v2/${endpoint}`,
      body,
    );
    if (response.data.ResponseCode !== 1) throw new Error(`${endpoint}: HTTP ${response.status}`);
    return response.data.data;
  }
}
