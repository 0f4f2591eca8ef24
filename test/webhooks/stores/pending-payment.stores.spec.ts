import { SecPaidSecret } from '../../../lib/core/secret.value.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { toRedisCommandClient } from '../../../lib/redis/redis-command.client.js';
import { RedisKeyspace } from '../../../lib/redis/redis-keyspace.js';
import { SecPaidRedisPendingPaymentStore } from '../../../lib/webhooks/stores/redis-pending-payment.store.js';
import { SecPaidRedisCoordinator } from '../../../lib/redis/secpaid-redis.coordinator.js';
import { SecPaidInMemoryPendingPaymentStore } from '../../../lib/webhooks/stores/in-memory-pending-payment.store.js';
import type {
  SecPaidPendingLimits,
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../../../lib/options/webhook-store.contracts.js';
import { CapturingLogger } from '../../support/capturing.logger.js';
import {
  dumpRedis,
  RedisServerProcess,
  type TestRedisClient,
} from '../../support/redis-server.process.js';

const API_KEY = 'pendingStoreKey_9f8e7d6c5b4a';
const LONG = 10 * 60_000;

function entry(payId: number, own = false): Pick<SecPaidPendingPayment, 'key' | 'event' | 'own'> {
  return {
    key: `${payId}:any`,
    event: {
      type: 'payment.succeeded',
      payId,
      encrypted: false,
      confirmed: false,
      raw: { data: { pay_id: payId } },
    },
    own,
  };
}

/** Due at once (first check 0), re-checked for 10 minutes, at most `maxEntries` per rank. */
const now = (maxEntries = 100): SecPaidPendingLimits => ({
  periodMs: LONG,
  firstCheckMs: 0,
  maxEntries,
});
/** Not due for 10 minutes. */
const later = (maxEntries = 100): SecPaidPendingLimits => ({
  periodMs: LONG,
  firstCheckMs: LONG,
  maxEntries,
});

let redis: RedisServerProcess;
let inspect: TestRedisClient;
const clients: TestRedisClient[] = [];
let keyCounter = 0;

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

/** `count` Redis stores of one fresh API key, each on its own connection, as replicas have. */
async function redisStores(count: number, leaseMs = 60_000, expiryGraceMs = 60_000) {
  const apiKey = `${API_KEY}${++keyCounter}`;
  return Promise.all(
    Array.from({ length: count }, async () => {
      const client = await redis.client();
      clients.push(client);
      const coordinator = new SecPaidRedisCoordinator(toRedisCommandClient(client), 'test:', 2_000);
      return new SecPaidRedisPendingPaymentStore(coordinator, apiKey, { leaseMs, expiryGraceMs });
    }),
  );
}

const KINDS: [string, () => Promise<SecPaidPendingPaymentStore>][] = [
  ['in memory', async () => new SecPaidInMemoryPendingPaymentStore()],
  ['Redis', async () => (await redisStores(1))[0]!],
];

describe.each(KINDS)('pending-payment store (%s): the same promises', (_kind, create) => {
  it('adds a key once, hands out due entries earliest first, reschedules and removes', async () => {
    const store = await create();
    expect(await store.add(entry(1), now())).toBe('added');
    expect(await store.add(entry(1), later())).toBe('pending');
    expect(await store.add(entry(2), later())).toBe('added');
    expect(await store.size()).toBe(2);
    const [due] = await store.due(10);
    expect(due).toMatchObject({ key: '1:any', own: false, checks: 0, event: { payId: 1 } });
    expect(due!.expired).toBeUndefined();
    await store.reschedule({ ...due!, checks: 1 }, 0);
    const [again] = await store.due(10);
    expect([again!.key, again!.checks]).toEqual(['1:any', 1]);
    await store.reschedule({ ...again!, checks: 2 }, LONG);
    expect(await store.due(10)).toEqual([]);
    expect(await store.nextCheckInMs()).toBeGreaterThan(LONG / 2);
    await store.remove('1:any');
    await store.remove('2:any');
    expect(await store.size()).toBe(0);
    expect(await store.nextCheckInMs()).toBeUndefined();
  });

  it('full means full: a new entry is refused, every entry held stays', async () => {
    const store = await create();
    for (let payId = 1; payId <= 5; payId++)
      expect(await store.add(entry(payId), later(5))).toBe('added');
    // Hundreds of newer unknown ids: each one refused, none of the five dropped.
    for (let payId = 100; payId < 400; payId++) {
      expect(await store.add(entry(payId), later(5))).toBe('full');
    }
    expect(await store.size()).toBe(5);
    // A link this app created has room of its own.
    expect(await store.add(entry(9, true), now(5))).toBe('added');
    expect((await store.due(10)).map((e) => [e.key, e.own])).toEqual([['9:any', true]]);
    // Room again once one is removed.
    await store.remove('1:any');
    expect(await store.add(entry(400), later(5))).toBe('added');
  });

  it('a redelivery hurries a pending entry to now; an unknown key is not pending', async () => {
    const store = await create();
    await store.add(entry(7), later());
    expect(await store.due(10)).toEqual([]);
    expect(await store.hurry('7:any')).toBe(true);
    expect(await store.hurry('8:any')).toBe(false);
    expect((await store.due(10)).map((e) => e.key)).toEqual(['7:any']);
  });

  it('an entry past its period is handed out once more, flagged expired', async () => {
    const store = await create();
    await store.add(entry(11), { periodMs: 30, firstCheckMs: 5_000, maxEntries: 10 });
    // The next check never lies past the end of the period.
    while ((await store.nextCheckInMs())! > 0) await new Promise((r) => setTimeout(r, 10));
    expect(await store.due(10)).toMatchObject([{ key: '11:any', expired: true }]);
  });
});

describe('SecPaidRedisPendingPaymentStore: what only a shared store must do', () => {
  it('two replicas taking due entries at once never get the same one', async () => {
    const [a, b] = await redisStores(2);
    for (let payId = 1; payId <= 60; payId++) await a!.add(entry(payId), now(1_000));
    const rounds = await Promise.all([a, b, a, b, a, b].map((store) => store!.due(15)));
    const taken = rounds.flat().map((e) => e.event.payId);
    expect(new Set(taken).size).toBe(taken.length); // no entry handed out twice
    expect(taken).toHaveLength(60);
    // Leased: due again only when the lease ends (a replica that died mid-round).
    expect(await b!.due(100)).toEqual([]);
  });

  it('a lease ends when it runs out: the entry is due again', async () => {
    const [a, b] = await redisStores(2, 100);
    await a!.add(entry(5), now());
    expect(await a!.due(10)).toHaveLength(1);
    expect(await b!.due(10)).toEqual([]);
    while ((await b!.nextCheckInMs())! > 0) await new Promise((r) => setTimeout(r, 10));
    expect((await b!.due(10)).map((e) => e.key)).toEqual(['5:any']);
  });

  it('a redelivery keeps a lease; a re-check ends it', async () => {
    const [a, b] = await redisStores(2);
    await a!.add(entry(7), now());
    const [taken] = await a!.due(10);
    // Replica b sees the same claim arrive again and asks for a check now.
    expect(await b!.hurry('7:any')).toBe(true);
    expect(await b!.due(10)).toEqual([]);
    // Replica a re-checked it and reschedules: the lease ends, the new time holds.
    await a!.reschedule({ ...taken!, checks: 1 }, 0);
    expect((await b!.due(10)).map((e) => e.checks)).toEqual([1]);
  });

  it('stays within maxPending atomically under concurrent adds from two replicas', async () => {
    const [a, b] = await redisStores(2);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b)!.add(entry(100 + i), later(5))),
    );
    expect(outcomes.filter((o) => o === 'added')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(35);
    expect(await a!.size()).toBe(5);
  });

  it('forgets entries after period and grace even when no replica is alive', async () => {
    const [store] = await redisStores(1, 60_000, 0);
    const keyspace = new RedisKeyspace('test:', SecPaidSecret.of(`${API_KEY}${keyCounter}`));
    await store!.add(entry(55), { periodMs: 300, firstCheckMs: 10, maxEntries: 10 });
    const names = ['entries', 'due', 'ends', 'checks'].map((n) => keyspace.key(`pending:${n}`));
    for (const name of names) {
      const ttl = await inspect.pTTL(name);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000); // the period (300 ms) with the script's 1 s floor
    }
    // Nobody re-checks or removes it: Redis drops the whole set by itself.
    while ((await inspect.exists(names)) > 0) await new Promise((r) => setTimeout(r, 50));
  });

  it('never writes the raw API key to Redis (keys and values)', async () => {
    const [store] = await redisStores(1);
    await store!.add(entry(77), later());
    const dump = await dumpRedis(inspect);
    expect(dump).toContain('pending:entries');
    expect(dump).toContain('"pay_id":77');
    expect(dump).not.toContain(API_KEY);
  });

  it('Redis down: falls back to memory without throwing, warns once, drains once back', async () => {
    const logger = new CapturingLogger();
    Logger.overrideLogger(logger);
    const [store] = await redisStores(1);
    await redis.stop();
    try {
      expect(await store!.add(entry(901), now())).toBe('added');
      expect(await store!.add(entry(902), now())).toBe('added');
      expect(await store!.hurry('901:any')).toBe(true);
      expect(await store!.size()).toBe(2);
      expect(await store!.due(1)).toHaveLength(1);
      await store!.remove('901:any');
      expect(await store!.nextCheckInMs()).toBe(0);
    } finally {
      await redis.start();
    }
    const warnings = logger.lines.filter((l) => l.message.includes('Redis unavailable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('pending payments');
    // The local entry is still handed out after the outage.
    expect((await store!.due(10)).map((e) => e.event.payId)).toEqual([902]);
    Logger.overrideLogger(false);
  }, 30_000);
});
