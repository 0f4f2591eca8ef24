import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster as IoRedisCluster } from 'ioredis';
import { createCluster } from 'redis';
import { SecPaidModule, type SecPaidModuleOptions } from '../../lib/index.js';
import type { SecPaidRedisClient } from '../../lib/options/secpaid-redis.options.js';
import { startHealthApp } from '../support/health-app.js';
import { RedisClusterProcess } from '../support/redis-cluster.process.js';
import { SlidingWindowServer } from '../support/sliding-window.server.js';
import { post, startWebhookApp } from '../support/webhook-app.harness.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';

/**
 * The module on a three-master Redis Cluster with an app-owned cluster client: budget, pending
 * payments and the shared readiness result land in Redis, all keys of one API key on one master
 * (one slot).
 */
describe('redis: { client } with a Redis Cluster client', () => {
  let cluster: RedisClusterProcess;
  let upstream: SlidingWindowServer;

  beforeAll(async () => {
    cluster = await RedisClusterProcess.start(3);
    upstream = await SlidingWindowServer.start(60, 60_000);
  }, 60_000);
  afterAll(async () => {
    await upstream?.close();
    await cluster?.stop();
  }, 30_000);

  async function exercise(apiKey: string, client: SecPaidRedisClient, payId: number) {
    const options: SecPaidModuleOptions = {
      apiKey,
      environment: 'development',
      baseUrl: upstream.baseUrl,
      maxRetries: 0,
      webhooks: { confirmPayments: true },
      redis: { client, keyPrefix: 'shop:' },
    };
    const app = await startWebhookApp(SecPaidModule.forRoot(options));
    try {
      for (let i = 0; i < 3; i++) await app.service.getMyUnusedLinks();
      // The strict server shows no payment: the webhook is kept pending (in Redis), claimed once.
      const body = JSON.stringify(nestedPayload(payId, 10));
      expect((await post(`${app.origin}/secpaid/webhook`, body, JSON_TYPE)).status).toBe(202);
    } finally {
      await app.close();
    }
    // Readiness through the shared check: its result and lock keys are the API key's too.
    const ready = await startHealthApp(options);
    try {
      const answer = await fetch(`${ready.origin}/health/ready`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ status: 'ok' });
    } finally {
      await ready.close();
    }
    const byNode = await cluster.keysByNode();
    const nodesWithKeys = [...byNode].filter(([, keys]) => keys.length > 0);
    return { byNode, nodesWithKeys };
  }

  it('node-redis createCluster: every key of the API key on one master, budget, pending and readiness stored', async () => {
    const client = createCluster({ rootNodes: cluster.rootNodes });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { nodesWithKeys } = await exercise(
        'clusterNodeRedisKey_1',
        client as unknown as SecPaidRedisClient,
        9301,
      );
      expect(nodesWithKeys).toHaveLength(1);
      const keys = nodesWithKeys[0]![1];
      expect(keys.some((key) => key.startsWith('secpaid:budget:') && key.endsWith(':starts'))).toBe(
        true,
      );
      expect(keys.some((key) => key.startsWith('shop:'))).toBe(true);
      expect(keys.some((key) => key.startsWith('shop:') && key.endsWith(':health'))).toBe(true);
      for (const key of keys) expect(key).not.toContain('clusterNodeRedisKey_1');
    } finally {
      await client.close();
    }
  }, 60_000);

  it('ioredis Cluster: the same, on whichever master serves the key', async () => {
    const client = new IoRedisCluster(cluster.startupNodes);
    client.on('error', () => undefined);
    await new Promise((resolve) => client.once('ready', resolve));
    try {
      const { byNode } = await exercise('clusterIoRedisKey_2', client, 9302);
      const tagOf = (key: string) => /\{([0-9a-f]+)\}/.exec(key)?.[1];
      const nodesByTag = new Map<string, Set<number>>();
      for (const [port, keys] of byNode) {
        for (const key of keys) {
          const tag = tagOf(key);
          if (tag !== undefined) nodesByTag.set(tag, (nodesByTag.get(tag) ?? new Set()).add(port));
        }
      }
      expect(nodesByTag.size).toBe(2); // the two API keys of this file
      const health = [...byNode.values()].flat().filter((key) => key.endsWith(':health'));
      expect(health.length).toBeGreaterThanOrEqual(1);
      for (const ports of nodesByTag.values()) expect(ports.size).toBe(1);
    } finally {
      await client.quit();
    }
  }, 60_000);
});
