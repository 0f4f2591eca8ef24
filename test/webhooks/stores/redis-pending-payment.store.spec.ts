import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toRedisCommandClient } from '../../../lib/redis/redis-command.client.js';
import { RedisKeyspace } from '../../../lib/redis/redis-keyspace.js';
import { SecPaidRedisPendingPaymentStore } from '../../../lib/webhooks/stores/redis-pending-payment.store.js';
import { SecPaidRedisCoordinator } from '../../../lib/redis/secpaid-redis.coordinator.js';
import type { SecPaidPendingPayment } from '../../../lib/options/webhook-store.contracts.js';
import { CapturingLogger } from '../../support/capturing.logger.js';
import {
  dumpRedis,
  RedisServerProcess,
  type TestRedisClient,
} from '../../support/redis-server.process.js';
import { Logger } from '@nestjs/common';

const API_KEY = 'pendingStoreKey_9f8e7d6c5b4a';

function entry(payId: number, nextCheckAt: number, expiresAt = Date.now() + 10 * 60_000) {
  return {
    key: `${payId}:any`,
    event: {
      type: 'payment.succeeded',
      payId,
      encrypted: false,
      confirmed: false,
      raw: { data: { pay_id: payId } },
    },
    receivedAt: Date.now(),
    expiresAt,
    nextCheckAt,
    checks: 0,
  } satisfies SecPaidPendingPayment;
}

describe('SecPaidRedisPendingPaymentStore on a real Redis', () => {
  let redis: RedisServerProcess;
  let inspect: TestRedisClient;
  const clients: TestRedisClient[] = [];
  let keyCounter = 0;

  /** Two stores of one API key, each on its own connection, as two replicas have. */
  async function replicas(count = 2, leaseMs = 60_000) {
    const apiKey = `${API_KEY}${++keyCounter}`;
    return Promise.all(
      Array.from({ length: count }, async () => {
        const client = await redis.client();
        clients.push(client);
        const coordinator = new SecPaidRedisCoordinator(
          toRedisCommandClient(client),
          'test:',
          2_000,
        );
        return new SecPaidRedisPendingPaymentStore(coordinator, apiKey, {
          leaseMs,
          expiryGraceMs: 0,
        });
      }),
    );
  }

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    inspect = await redis.client();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(
      [...clients, inspect].map((client) => (client?.isOpen ? client.quit() : undefined)),
    );
    await redis?.stop();
  }, 30_000);

  it('behaves like the in-memory store: add once, get, due earliest first, update, remove', async () => {
    const [store] = await replicas(1);
    const now = Date.now();
    expect(await store!.add(entry(1, now - 10), 10)).toEqual({ added: true, evicted: [] });
    expect(await store!.add(entry(1, now - 99), 10)).toEqual({ added: false, evicted: [] });
    await store!.add(entry(2, now - 20), 10);
    await store!.add(entry(3, now + 60_000), 10);
    expect(await store!.get('1:any')).toMatchObject({
      key: '1:any',
      nextCheckAt: now - 10,
      checks: 0,
    });
    expect(await store!.get('9:any')).toBeUndefined();
    expect(await store!.size()).toBe(3);
    expect(await store!.nextCheckAt()).toBe(now - 20);
    expect((await store!.due(now, 10)).map((e) => e.event.payId)).toEqual([2, 1]);
    await store!.update({ ...(await store!.get('2:any'))!, checks: 1, nextCheckAt: now + 5 });
    expect(await store!.get('2:any')).toMatchObject({ checks: 1, nextCheckAt: now + 5 });
    for (const key of ['1:any', '2:any', '3:any']) await store!.remove(key);
    expect(await store!.size()).toBe(0);
    expect(await store!.nextCheckAt()).toBeUndefined();
  });

  it('two replicas taking due entries at once never get the same one', async () => {
    const [a, b] = await replicas();
    const now = Date.now();
    for (let payId = 1; payId <= 60; payId++) await a!.add(entry(payId, now - payId), 1_000);
    const rounds = await Promise.all([a, b, a, b, a, b].map((store) => store!.due(now, 15)));
    const taken = rounds.flat().map((e) => e.event.payId);
    expect(new Set(taken).size).toBe(taken.length); // no entry handed out twice
    expect(taken).toHaveLength(60);
    // Leased: due again only when the lease ends (a replica that died mid-round).
    expect(await b!.due(now + 1_000, 100)).toEqual([]);
    expect(await b!.due(now + 61_000, 100)).toHaveLength(60);
  });

  it('a redelivery asking for an early check keeps a lease; a re-check ends it', async () => {
    const [a, b] = await replicas();
    const now = Date.now();
    await a!.add(entry(7, now - 1), 10);
    const [taken] = await a!.due(now, 10);
    // Replica b sees the same claim arrive again and asks for a check now.
    await b!.update({ ...(await b!.get('7:any'))!, nextCheckAt: now });
    expect(await b!.due(now + 1, 10)).toEqual([]);
    // Replica a re-checked it and reschedules: the lease ends, the new time holds.
    await a!.update({ ...taken!, checks: 1, nextCheckAt: now + 50 });
    expect(await b!.due(now + 49, 10)).toEqual([]);
    expect((await b!.due(now + 50, 10)).map((e) => e.checks)).toEqual([1]);
  });

  it('stays within maxPending atomically, evicting the oldest and returning them', async () => {
    const [a, b] = await replicas();
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b)!.add(entry(100 + i, now + i), 5)),
    );
    expect(results.every((r) => r.added)).toBe(true);
    const evicted = results.flatMap((r) => r.evicted.map((e) => e.event.payId));
    expect(evicted).toHaveLength(15);
    expect(new Set(evicted).size).toBe(15);
    expect(await a!.size()).toBe(5);
    // The five kept are the last five to arrive.
    const kept = (await a!.due(now + 100, 100)).map((e) => e.event.payId);
    expect(kept.sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => 100 + i)
        .filter((id) => !evicted.includes(id))
        .sort(),
    );
    expect(Math.min(...kept)).toBeGreaterThan(Math.max(...evicted) - 20);
  });

  it('forgets entries after their period even when no replica is alive', async () => {
    const [store] = await replicas(1);
    const keyspace = new RedisKeyspace('test:', `${API_KEY}${keyCounter}`);
    await store!.add(entry(55, Date.now() + 10, Date.now() + 300), 10);
    const names = ['entries', 'due', 'order', 'expiry', 'checks'].map((n) =>
      keyspace.key(`pending:${n}`),
    );
    for (const name of names) {
      const ttl = await inspect.pTTL(name);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000); // the period (300 ms) with the script's 1 s floor
    }
    // Nobody re-checks or removes it: Redis drops the whole set by itself.
    while ((await inspect.exists(names)) > 0) await new Promise((r) => setTimeout(r, 50));
  });

  it('never writes the raw API key to Redis (keys and values)', async () => {
    const [store] = await replicas(1);
    await store!.add(entry(77, Date.now()), 10);
    const dump = await dumpRedis(inspect);
    expect(dump).toContain('pending:entries');
    expect(dump).toContain('"pay_id":77');
    expect(dump).not.toContain(API_KEY);
  });

  it('Redis down: falls back to memory without throwing, warns once, drains once back', async () => {
    const logger = new CapturingLogger();
    Logger.overrideLogger(logger);
    const [store] = await replicas(1);
    await redis.stop();
    try {
      const now = Date.now();
      expect(await store!.add(entry(901, now - 1), 10)).toEqual({ added: true, evicted: [] });
      expect(await store!.add(entry(902, now - 1), 10)).toEqual({ added: true, evicted: [] });
      expect(await store!.get('901:any')).toMatchObject({ key: '901:any' });
      expect(await store!.size()).toBe(2);
      expect((await store!.due(now, 1)).map((e) => e.event.payId)).toHaveLength(1);
      await store!.remove('901:any');
      expect(await store!.nextCheckAt()).toBe(now - 1);
    } finally {
      await redis.start();
    }
    const warnings = logger.lines.filter((l) => l.message.includes('Redis unavailable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('pending payments');
    // The local entry is still handed out after the outage.
    expect((await store!.due(Date.now(), 10)).map((e) => e.event.payId)).toEqual([902]);
    Logger.overrideLogger(false);
  }, 30_000);
});
