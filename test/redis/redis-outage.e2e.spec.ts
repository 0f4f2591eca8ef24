import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisServerProcess } from '../support/redis-server.process.js';
import { SlidingWindowServer } from '../support/sliding-window.server.js';
import { post } from '../support/webhook-app.harness.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import { ReplicaProcess } from './replica.process.js';

const API_KEY = 'outageKey_0a1b2c3d4e5f';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Makes single calls until the replica's reservations show up in Redis again (bounded). */
async function untilShared(replica: ReplicaProcess, redis: RedisServerProcess): Promise<boolean> {
  const client = await redis.client();
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      expect(await replica.calls(1)).toEqual(['ok']);
      if ((await client.keys('secpaid:budget:*:starts')).length > 0) return true;
      await sleep(200);
    }
    return false;
  } finally {
    await client.quit();
  }
}

describe('Redis unavailable: down at boot, lost mid-run, frozen', () => {
  let redis: RedisServerProcess;
  let upstream: SlidingWindowServer;
  let replica: ReplicaProcess;
  const warnings = () =>
    replica.logs.filter((l) => l.level === 'warn' && l.message.includes('Redis unavailable'));
  const recoveries = () => replica.logs.filter((l) => l.message.includes('Redis available again'));

  beforeAll(async () => {
    redis = await RedisServerProcess.reserve(); // not started: down at boot
    upstream = await SlidingWindowServer.start(60, 2_000);
    replica = await ReplicaProcess.start({
      apiKey: API_KEY,
      baseUrl: upstream.baseUrl,
      redisUrl: redis.url,
      requestsPerMinute: 60,
      windowMs: 3_000,
      healthTtlMs: 2_000,
      claimTtlMs: 3_000,
    });
  }, 180_000);

  afterAll(async () => {
    await replica?.close();
    await upstream?.close();
    await redis?.stop();
  }, 30_000);

  it('boots without Redis, completes calls on the local fallback and warns once', async () => {
    expect(await replica.calls(5)).toEqual(Array(5).fill('ok'));
    expect(await replica.probes(2)).toEqual(['up', 'up']);
    const webhook = await post(
      `${replica.origin}/secpaid/webhook`,
      JSON.stringify(nestedPayload(8001, 5)),
      JSON_TYPE,
    );
    expect(webhook.status).toBe(200);
    expect(warnings()).toHaveLength(1);
  });

  it('shares again by itself once Redis is started', async () => {
    await redis.start();
    expect(await untilShared(replica, redis)).toBe(true);
    expect(recoveries()).toHaveLength(1);
  }, 30_000);

  it('Redis stopped mid-run: calls still complete; restarted: sharing resumes', async () => {
    const calls = replica.calls(20);
    await sleep(20);
    await redis.stop();
    expect(await calls).toEqual(Array(20).fill('ok'));
    expect(await replica.calls(3)).toEqual(['ok', 'ok', 'ok']);
    expect(warnings()).toHaveLength(2); // once per outage
    await redis.start();
    expect(await untilShared(replica, redis)).toBe(true);
    expect(recoveries()).toHaveLength(2);
  }, 60_000);

  it('a frozen Redis (no answers) does not hold calls past the command timeout', async () => {
    redis.freeze();
    try {
      expect(await replica.calls(3)).toEqual(['ok', 'ok', 'ok']);
      const webhook = await post(
        `${replica.origin}/secpaid/webhook`,
        JSON.stringify(nestedPayload(8002, 5)),
        JSON_TYPE,
      );
      expect(webhook.status).toBe(200);
    } finally {
      redis.thaw();
    }
    expect(await untilShared(replica, redis)).toBe(true);
  }, 30_000);

  it('left no unhandled rejection behind', async () => {
    expect((await replica.stats()).unhandled).toEqual([]);
  });
});
