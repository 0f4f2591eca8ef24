import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SecPaidRateLimiter } from '../../lib/http/rate-limiter.js';
import { SecPaidSharedRateLimiter } from '../../lib/http/shared-rate-limiter.js';
import {
  toRedisCommandClient,
  type RedisCommandClient,
} from '../../lib/redis/redis-command.client.js';
import { SecPaidApiKeyHolder } from '../../lib/options/api-key.holder.js';
import { SecPaidRedisCoordinator } from '../../lib/redis/secpaid-redis.coordinator.js';
import { RedisServerProcess, type TestRedisClient } from '../support/redis-server.process.js';

/**
 * Counts the commands a limiter sends (the bounded-round-trips promise) and records each
 * reservation's start time on the Redis clock, by member.
 */
function recording(
  client: RedisCommandClient,
  startTimes: Map<string, number>,
): RedisCommandClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    send: async (args) => {
      sent.push(args[0]!);
      const reply = await client.send(args);
      const member = args[7];
      if (args[0]!.startsWith('EVAL') && member && Array.isArray(reply)) {
        startTimes.set(member, Number(reply[1]));
      }
      return reply;
    },
    isReady: () => client.isReady(),
  };
}

/** The most grants inside any `windowMs`. */
function peak(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('SecPaidSharedRateLimiter on a real Redis', () => {
  let redis: RedisServerProcess;
  const clients: TestRedisClient[] = [];
  let keyCounter = 0;

  async function limiterPair(
    limit: number,
    windowMs: number,
    startTimes = new Map<string, number>(),
  ) {
    const apiKey = `limiterKey${++keyCounter}`;
    return Promise.all(
      [1, 2].map(async () => {
        const client = await redis.client();
        clients.push(client);
        const commands = recording(toRedisCommandClient(client), startTimes);
        const coordinator = new SecPaidRedisCoordinator(commands, 'test:', 2_000);
        const limiter = new SecPaidSharedRateLimiter(coordinator, {
          limit,
          windowMs,
          keys: SecPaidApiKeyHolder.fixed(apiKey),
          slowRedisWaitMs: 2_000,
          fallback: new SecPaidRateLimiter({ limit: 1, windowMs }),
        });
        return { limiter, commands };
      }),
    );
  }

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
    await redis?.stop();
  });

  it('two limiters sharing a key never start more than the limit in any window', async () => {
    const startTimes = new Map<string, number>();
    const [a, b] = await limiterPair(5, 400, startTimes);
    const grants: number[] = [];
    const take = (limiter: SecPaidSharedRateLimiter) =>
      limiter.acquire().then(() => grants.push(Date.now()));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => take(i % 2 === 0 ? a!.limiter : b!.limiter)),
    );
    expect(grants).toHaveLength(12);
    // Exact on the Redis clock: 12 distinct start times, at most 5 in any 400 ms.
    expect(startTimes.size).toBe(12);
    expect(peak([...startTimes.values()], 400)).toBeLessThanOrEqual(5);
    // The 12 starts spread over more than one window (7 calls had to wait).
    const earliest = Math.min(...startTimes.values());
    expect(Math.max(...startTimes.values()) - earliest).toBeGreaterThanOrEqual(400);
    // One round trip per call that started at once, two per call that waited: 5 + 7 * 2.
    const sent = a!.commands.sent.length + b!.commands.sent.length;
    expect(sent).toBeLessThanOrEqual(12 * 2);
    expect(sent).toBeGreaterThanOrEqual(12);
  });

  it('different API keys have separate budgets', async () => {
    const [a] = await limiterPair(2, 60_000);
    await a!.limiter.acquire(undefined, 'x', 'keyOne');
    await a!.limiter.acquire(undefined, 'x', 'keyOne');
    // keyOne is now full for a minute; keyTwo is not.
    await a!.limiter.acquire(undefined, 'x', 'keyTwo');
    await a!.limiter.acquire(undefined, 'x', 'keyTwo');
    const controller = new AbortController();
    const waiting = a!.limiter.acquire(controller.signal, 'x', 'keyOne');
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORT_ERR' });
  });

  it('a pause holds back every limiter of the key, and closing rejects waiting calls', async () => {
    const [a, b] = await limiterPair(10, 60_000);
    await a!.limiter.pause(60_000);
    let granted = false;
    const waiting = b!.limiter.acquire(undefined, 'createLink').then(() => {
      granted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(granted).toBe(false);
    b!.limiter.onModuleDestroy();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORT_ERR' });
  });

  it('the raw key is not in Redis', async () => {
    const client = clients[0]!;
    const keys = await client.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join('\n')).not.toMatch(/limiterKey|keyOne|keyTwo/);
  });
});
