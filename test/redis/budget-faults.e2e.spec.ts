import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisServerProcess } from '../support/redis-server.process.js';
import { SlidingWindowServer } from '../support/sliding-window.server.js';
import { waitFor } from '../support/wait-for.js';
import { ReplicaProcess, type ReplicaSettings } from './replica.process.js';

/**
 * Redis faults never earn a 429: three replicas keep 45 calls in line on one key (10 per
 * window) while Redis is paused, killed and restarted, or flushed. The strict server counts
 * every answer; assertions are about counts, never durations.
 */
const LIMIT = 10;
const SERVER_WINDOW_MS = 2_000;
const BUDGET_WINDOW_MS = 3_000;
const API_KEY = 'budgetFaultKey_0f1e2d3c4b';

describe('the shared budget through Redis faults', () => {
  let redis: RedisServerProcess;
  let upstream: SlidingWindowServer;
  let replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    upstream = await SlidingWindowServer.start(LIMIT, SERVER_WINDOW_MS);
    const settings: ReplicaSettings = {
      apiKey: API_KEY,
      baseUrl: upstream.baseUrl,
      redisUrl: redis.url,
      requestsPerMinute: LIMIT,
      windowMs: BUDGET_WINDOW_MS,
      healthTtlMs: 5_000,
      claimTtlMs: 3_000,
    };
    replicas = await Promise.all([1, 2, 3].map(() => ReplicaProcess.start(settings)));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await upstream?.close();
    await redis?.stop();
  }, 30_000);

  /** 15 calls on each replica; `fault` runs once the first window is sent. */
  async function underFault(endpoint: string, fault: () => Promise<void>): Promise<void> {
    const before = upstream.arrivals.length;
    const calls = Promise.all(replicas.map((replica) => replica.calls(15, true, { endpoint })));
    await waitFor(() => upstream.count(endpoint) >= LIMIT);
    await fault();
    expect((await calls).flat()).toEqual(Array(45).fill('200'));
    expect(upstream.arrivals.length - before).toBe(45);
    expect(upstream.rejected).toBe(0);
    expect(upstream.peakInAnyWindow()).toBeLessThanOrEqual(LIMIT);
  }

  it('Redis paused (SIGSTOP) for 5 s mid-window: 0 answers of 429', async () => {
    await underFault('getMyUnusedLinks', async () => {
      redis.freeze();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      redis.thaw();
    });
  }, 90_000);

  it('Redis killed (SIGKILL) and restarted empty mid-window: 0 answers of 429', async () => {
    await underFault('getMyUsedLinks', async () => {
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await redis.start();
    });
  }, 90_000);

  it('FLUSHALL mid-window: 0 answers of 429', async () => {
    await underFault('getTaxInvoiceList', async () => {
      const client = await redis.client();
      try {
        await client.flushAll();
      } finally {
        await client.quit();
      }
    });
  }, 90_000);

  it('left no unhandled rejection behind', async () => {
    for (const replica of replicas) expect((await replica.stats()).unhandled).toEqual([]);
  });
});
