import type { INestApplicationContext } from '@nestjs/common';
import { SecPaidService } from '../../lib/index.js';
import { createBenchApp } from '../bench-app.js';
import type { BenchClient } from './bench-client.js';
import { BENCH_AMOUNT } from './bench-client.js';

/** Variant (c): the same calls through `SecPaidService` in a real Nest application context. */
export class SecPaidServiceClient implements BenchClient {
  readonly name = 'SecPaidService';

  private constructor(
    private readonly app: INestApplicationContext,
    /** The injected service (used directly by the memory benchmark). */
    readonly service: SecPaidService,
  ) {}

  /** Boots the app with rate limits off (the mock's are off too), as the issue asks. */
  static async create(baseUrl: string, apiKey: string): Promise<SecPaidServiceClient> {
    const app = await createBenchApp({
      apiKey,
      environment: 'development',
      baseUrl,
      rateLimit: false,
    });
    return new SecPaidServiceClient(app, app.get(SecPaidService));
  }

  getMyUnusedLinks(): Promise<unknown> {
    return this.service.getMyUnusedLinks();
  }

  createLink(note: string): Promise<unknown> {
    return this.service.createLink({ amount: BENCH_AMOUNT, note });
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
