import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dumpRedis, RedisServerProcess } from '../support/redis-server.process.js';
import { SlidingWindowServer } from '../support/sliding-window.server.js';
import { post } from '../support/webhook-app.harness.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import { ReplicaProcess, type ReplicaSettings } from './replica.process.js';

/**
 * SecPaid's minute scaled down: the server accepts 60 requests per sliding 2 s, the replicas'
 * limiter window is 3 s (the production 61 s over 60 s margin, made generous for loaded CI).
 */
const LIMIT = 60;
const SERVER_WINDOW_MS = 2_000;
const LIMITER_WINDOW_MS = 3_000;
const CLAIM_TTL_MS = 3_000;
const HEALTH_TTL_MS = 5_000;
const API_KEY = 'replicaKey_9f8e7d6c5b4a';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three replicas sharing one API key through Redis', () => {
  let redis: RedisServerProcess;
  let upstream: SlidingWindowServer;
  let settings: ReplicaSettings;
  let replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    upstream = await SlidingWindowServer.start(LIMIT, SERVER_WINDOW_MS);
    settings = {
      apiKey: API_KEY,
      baseUrl: upstream.baseUrl,
      redisUrl: redis.url,
      requestsPerMinute: LIMIT,
      windowMs: LIMITER_WINDOW_MS,
      healthTtlMs: HEALTH_TTL_MS,
      claimTtlMs: CLAIM_TTL_MS,
    };
    replicas = await Promise.all([1, 2, 3].map(() => ReplicaProcess.start(settings)));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await upstream?.close();
    await redis?.stop();
  }, 30_000);

  it('a 429 with Retry-After on one replica pauses the key for the others', async () => {
    upstream.force429(1, 2);
    expect(await replicas[0]!.calls(1)).toEqual(['SecPaidRateLimitError']);
    const refusedAt = upstream.arrivals.at(-1)!.at;
    const answers = await Promise.all([replicas[1]!.calls(3), replicas[2]!.calls(3, true)]);
    expect(answers).toEqual([
      ['ok', 'ok', 'ok'],
      ['200', '200', '200'],
    ]);
    const later = upstream.arrivals.slice(-6);
    // Redis' clock and Date.now() are the same machine clock; 20 ms covers the rounding.
    for (const arrival of later) expect(arrival.at).toBeGreaterThanOrEqual(refusedAt + 2_000 - 20);
  }, 30_000);

  it('40 calls each (one replica raw) -> 0 answers of 429, never more than 60 in a window', async () => {
    const before = upstream.arrivals.length;
    const answers = await Promise.all([
      replicas[0]!.calls(40),
      replicas[1]!.calls(40),
      replicas[2]!.calls(40, true),
    ]);
    expect(answers[0]).toEqual(Array(40).fill('ok'));
    expect(answers[1]).toEqual(Array(40).fill('ok'));
    expect(answers[2]).toEqual(Array(40).fill('200'));
    expect(upstream.arrivals.length - before).toBe(120);
    expect(upstream.rejected).toBe(1); // the one injected above, none earned
    expect(upstream.peakInAnyWindow()).toBeLessThanOrEqual(LIMIT);
  }, 60_000);

  it('a webhook delivered to three replicas at once runs its handler once', async () => {
    const body = JSON.stringify(nestedPayload(7001, 12));
    const answers = await Promise.all(
      replicas.map((replica) => post(`${replica.origin}/secpaid/webhook`, body, JSON_TYPE)),
    );
    // One replica ran it (200); the others found it processing (409) or done (200).
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    const stats = await Promise.all(replicas.map((replica) => replica.stats()));
    expect(stats.reduce((sum, s) => sum + s.started, 0)).toBe(1);
    // Redelivered once more to every replica: acknowledged, not run again.
    const again = await Promise.all(
      replicas.map((replica) => post(`${replica.origin}/secpaid/webhook`, body, JSON_TYPE)),
    );
    expect(again.map((a) => a.status)).toEqual([200, 200, 200]);
    const after = await Promise.all(replicas.map((replica) => replica.stats()));
    expect(after.reduce((sum, s) => sum + s.succeeded, 0)).toBe(1);
  });

  it('a failing handler releases the claim: the redelivery runs it again on another replica', async () => {
    const body = JSON.stringify(nestedPayload(7002, 12));
    const before = await Promise.all(replicas.map((replica) => replica.stats()));
    await Promise.all(replicas.map((replica) => replica.handler('fail')));
    expect((await post(`${replicas[0]!.origin}/secpaid/webhook`, body, JSON_TYPE)).status).toBe(
      500,
    );
    await Promise.all(replicas.map((replica) => replica.handler('ok')));
    expect((await post(`${replicas[1]!.origin}/secpaid/webhook`, body, JSON_TYPE)).status).toBe(
      200,
    );
    const stats = await Promise.all(replicas.map((replica) => replica.stats()));
    expect(stats[0]!.failed - before[0]!.failed).toBe(1);
    expect(stats[1]!.succeeded - before[1]!.succeeded).toBe(1);
  });

  it('a replica dying mid-handler leaves a claim that expires, then a redelivery runs it', async () => {
    const doomed = await ReplicaProcess.start(settings);
    try {
      await doomed.handler('hang');
      const body = JSON.stringify(nestedPayload(7003, 12));
      const started = doomed.nextHandlerStart();
      void post(`${doomed.origin}/secpaid/webhook`, body, JSON_TYPE).catch(() => undefined);
      await started;
      await doomed.kill();
      const whileClaimed = await post(`${replicas[0]!.origin}/secpaid/webhook`, body, JSON_TYPE);
      expect(whileClaimed.status).toBe(409);
      await sleep(CLAIM_TTL_MS + 200);
      const afterExpiry = await post(`${replicas[0]!.origin}/secpaid/webhook`, body, JSON_TYPE);
      expect(afterExpiry.status).toBe(200);
    } finally {
      await doomed.kill();
    }
  }, 180_000);

  it('readiness probes on three replicas make one upstream call per TTL', async () => {
    const checks = () => upstream.count('/getTaxInvoiceList');
    const before = checks();
    const first = await Promise.all(replicas.map((replica) => replica.probes(5)));
    expect(first.flat()).toEqual(Array(15).fill('up'));
    expect(checks() - before).toBe(1);
    const again = await Promise.all(replicas.map((replica) => replica.probes(5)));
    expect(again.flat()).toEqual(Array(15).fill('up'));
    expect(checks() - before).toBe(1);
    const client = await redis.client();
    try {
      // The shared result (it expires with the TTL), keyed and written without the raw key.
      expect((await client.keys('*:health')).length).toBe(1);
      expect(await dumpRedis(client)).not.toContain(API_KEY);
    } finally {
      await client.quit();
    }
    await sleep(HEALTH_TTL_MS + 200);
    const next = await Promise.all(replicas.map((replica) => replica.probes(5)));
    expect(next.flat()).toEqual(Array(15).fill('up'));
    expect(checks() - before).toBe(2);
  }, 30_000);

  it('the raw API key never reaches Redis, in a key or a value; nothing was left unhandled', async () => {
    const client = await redis.client();
    try {
      const keys = await client.keys('*');
      expect(keys.some((key) => key.startsWith('secpaid:budget:') && key.endsWith(':starts'))).toBe(
        true,
      );
      expect(keys.some((key) => key.includes(':webhook:payment.succeeded:'))).toBe(true);
      const everything = await dumpRedis(client);
      expect(everything).not.toContain(API_KEY);
      expect(everything).not.toContain(API_KEY.slice(0, 12));
    } finally {
      await client.quit();
    }
    const stats = await Promise.all(replicas.map((replica) => replica.stats()));
    expect(stats.flatMap((s) => s.unhandled)).toEqual([]);
  });
});
