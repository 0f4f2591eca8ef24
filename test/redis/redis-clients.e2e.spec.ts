import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis as IoRedis } from 'ioredis';
import { SecPaidModule, SecPaidService, type SecPaidModuleOptions } from '../../lib/index.js';
import {
  dumpRedis,
  RedisServerProcess,
  type TestRedisClient,
} from '../support/redis-server.process.js';
import { BUDGET_KEY_PREFIX } from '../../lib/http/budget/redis-budget.ledger.js';
import { SecPaidSecret } from '../../lib/core/secret.value.js';
import { RedisKeyspace } from '../../lib/redis/redis-keyspace.js';
import { SlidingWindowServer } from '../support/sliding-window.server.js';
import { waitFor } from '../support/wait-for.js';
import { post, startWebhookApp, type WebhookApp } from '../support/webhook-app.harness.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';

describe('redis: { client } with node-redis or ioredis, and { url }', () => {
  let redis: RedisServerProcess;
  let upstream: SlidingWindowServer;
  let inspector: TestRedisClient;

  function options(
    apiKey: string,
    redisOption: SecPaidModuleOptions['redis'],
  ): SecPaidModuleOptions {
    return {
      apiKey,
      environment: 'development',
      baseUrl: upstream.baseUrl,
      maxRetries: 0,
      webhooks: { confirmPayments: false },
      redis: redisOption,
    };
  }

  /** Three calls and one webhook through an app; returns what landed in Redis. */
  async function exercise(app: WebhookApp, payId: number): Promise<void> {
    const service = app.app.get(SecPaidService);
    for (let i = 0; i < 3; i++) await service.getMyUnusedLinks();
    const body = JSON.stringify(nestedPayload(payId, 10));
    expect((await post(`${app.origin}/secpaid/webhook`, body, JSON_TYPE)).status).toBe(200);
    expect((await post(`${app.origin}/secpaid/webhook`, body, JSON_TYPE)).status).toBe(200);
    expect(app.handler.events).toHaveLength(1);
  }

  /** The budget's start times of `apiKey` (a sorted set). */
  function budgetStarts(apiKey: string): string {
    return new RedisKeyspace(BUDGET_KEY_PREFIX, SecPaidSecret.of(apiKey)).key('starts');
  }

  async function keysOf(prefix: string): Promise<string[]> {
    return (await inspector.keys(`${prefix}*`)).sort();
  }

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    upstream = await SlidingWindowServer.start(60, 60_000);
    inspector = await redis.client();
  }, 30_000);
  afterAll(async () => {
    await inspector?.quit();
    await upstream?.close();
    await redis?.stop();
  });

  it('an app-owned node-redis client: shared state in Redis, the client stays open after close', async () => {
    const client = await redis.client();
    const app = await startWebhookApp(
      SecPaidModule.forRoot(options('nodeRedisKey_1', { client, keyPrefix: 'nr:' })),
    );
    try {
      await exercise(app, 9101);
    } finally {
      await app.close();
    }
    const keys = await keysOf('nr:');
    expect(keys.some((k) => k.endsWith(':webhook:payment.succeeded:9101'))).toBe(true);
    // The budget is named by the key's hash alone (shared whatever the keyPrefix).
    expect(await inspector.zCard(budgetStarts('nodeRedisKey_1'))).toBe(3);
    expect(await client.ping()).toBe('PONG'); // the app owns it, the module left it open
    await client.quit();
  });

  it('an app-owned ioredis client works the same', async () => {
    const client = new IoRedis(redis.url, { lazyConnect: true });
    await client.connect();
    const app = await startWebhookApp(
      SecPaidModule.forRoot(options('ioRedisKey_2', { client, keyPrefix: 'io:' })),
    );
    try {
      await exercise(app, 9102);
    } finally {
      await app.close();
    }
    const keys = await keysOf('io:');
    expect(await inspector.zCard(budgetStarts('ioRedisKey_2'))).toBeGreaterThan(0);
    const claim = keys.find((k) => k.endsWith(':webhook:payment.succeeded:9102'))!;
    expect(await inspector.get(claim)).toBe('done');
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('{ url }: the module opens its own connection and closes it on shutdown', async () => {
    const connections = async () =>
      (await inspector.clientList()).filter((c) => c.name !== 'inspector').length;
    await inspector.clientSetName('inspector');
    const before = await connections();
    const app = await startWebhookApp(
      SecPaidModule.forRoot(options('urlKey_3', { url: redis.url, keyPrefix: 'url:' })),
    );
    try {
      // The connection is made in the background; the first calls may use the fallback.
      const starts = budgetStarts('urlKey_3');
      for (let i = 0; i < 50 && (await inspector.zCard(starts)) === 0; i++) {
        await app.app.get(SecPaidService).getMyUnusedLinks();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await inspector.zCard(starts)).toBeGreaterThan(0);
      expect(await connections()).toBe(before + 1);
    } finally {
      await app.close();
    }
    // The module's QUIT is answered before Redis frees the connection (it does so after
    // writing the reply), so CLIENT LIST may still show it for a moment: wait for it to go.
    await waitFor(async () => (await connections()) === before);
    expect(await connections()).toBe(before);
  });

  it('no raw API key anywhere in Redis', async () => {
    const everything = await dumpRedis(inspector);
    for (const key of ['nodeRedisKey_1', 'ioRedisKey_2', 'urlKey_3']) {
      expect(everything).not.toContain(key);
    }
  });
});
