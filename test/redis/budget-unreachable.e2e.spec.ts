import { describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import { SecPaidSecret } from '../../lib/core/secret.value.js';
import { RedisBudgetLedger } from '../../lib/http/budget/redis-budget.ledger.js';
import { toRedisCommandClient } from '../../lib/redis/redis-command.client.js';
import { SecPaidRedisCoordinator } from '../../lib/redis/secpaid-redis.coordinator.js';
import { SecPaidRateLimitError } from '../../lib/core/secpaid.errors.js';
import { SecPaidModule } from '../../lib/secpaid.module.js';
import { SecPaidService } from '../../lib/service/secpaid.service.js';
import { RedisServerProcess } from '../support/redis-server.process.js';
import { SlidingWindowServer } from '../support/sliding-window.server.js';
import { bootstrapTestApp } from '../support/test-app.builder.js';

/**
 * A replica whose Redis is gone before it ever reached it: its fallback may grant nothing for
 * a window (slots it never saw may be taken by the other replicas), so a call bounded by
 * `maxWaitMs` is refused at once on its expected wait, not after waiting out its bound.
 * Assertions are about what was refused and sent, never durations.
 */
describe('the budget of a replica that never reached Redis', () => {
  it('refuses a bounded call at once, with the expected wait as its hint, and sends nothing', async () => {
    const redis = await RedisServerProcess.start();
    const goneUrl = redis.url;
    await redis.stop();
    const upstream = await SlidingWindowServer.start(60, 60_000);
    const app = await bootstrapTestApp(
      SecPaidModule.forRoot({
        apiKey: 'neverReachedKey_5d6e7f',
        environment: 'development',
        baseUrl: upstream.baseUrl,
        maxRetries: 0,
        redis: { url: goneUrl },
      }),
    ).init();
    try {
      const secpaid = app.get(SecPaidService);
      const refusal = await secpaid.getMyUnusedLinks(undefined, { maxWaitMs: 2_000 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(SecPaidRateLimitError);
      const { clientSide, retryAfterMs, message } = refusal as SecPaidRateLimitError;
      expect(clientSide).toBe(true);
      // Refused on its expected wait (about a window), not by its bound running out (which
      // reports the bound itself, 2000 ms).
      expect(retryAfterMs).toBeGreaterThan(2_000);
      expect(message).toMatch(/is about \d+ ms away, longer than its maxWaitMs of 2000 ms/);
      expect(upstream.arrivals).toHaveLength(0);
    } finally {
      await app.close();
      await upstream.close();
    }
  }, 30_000);

  it('a replica in an outage with a call waiting tries Redis again within 50 ms, not at its heartbeat', async () => {
    const redis = await RedisServerProcess.start();
    const client = createClient({ url: redis.url, disableOfflineQueue: true });
    client.on('error', () => undefined);
    await client.connect();
    const coordinator = new SecPaidRedisCoordinator(toRedisCommandClient(client), 'secpaid:', 500);
    const settings = { limit: 1, windowMs: 61_000, confirmationLimit: 1, maxQueue: 10 };
    const ledger = new RedisBudgetLedger(coordinator, {
      apiKey: SecPaidSecret.of('outageRetryKey_9a8b7c'),
      replica: 'replica-a',
      settings,
      fallbackLimit: 1,
    });
    try {
      // The window's one slot is taken through Redis; the next call waits there.
      expect(
        (await ledger.enter({ member: 'replica-a|i|1', lane: 'interactive' })).granted,
      ).toEqual(['replica-a|i|1']);
      await redis.stop();
      const reply = await ledger.enter({ member: 'replica-a|i|2', lane: 'interactive' });
      expect(ledger.inOutage).toBe(true);
      expect(reply.granted).toEqual([]);
      // Its heartbeat is 1 s and its local share has no slot for a window: only the retry of
      // Redis asks for a pump this soon.
      expect(reply.nextPumpMs).toBeLessThanOrEqual(50);
    } finally {
      await client.close().catch(() => undefined);
    }
  }, 30_000);
});
