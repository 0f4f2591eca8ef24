import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster as IoRedisCluster } from 'ioredis';
import { createServer, type AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig } from 'axios';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { createClient, createCluster } from 'redis';
import { SecPaidModule, type SecPaidModuleOptions } from '../../lib/index.js';
import {
  SECPAID_HTTP_SERVICE,
  SECPAID_REDIS,
  SECPAID_RESOLVED_OPTIONS,
} from '../../lib/secpaid.constants.js';
import type {
  SecPaidRedisClient,
  SecPaidRedisOptions,
} from '../../lib/options/secpaid-redis.options.js';
import { toRedisCommandClient } from '../../lib/redis/redis-command.client.js';
import { openRedisFromUrl } from '../../lib/redis/redis-url.connector.js';
import { SecPaidRedisCoordinator } from '../../lib/redis/secpaid-redis.coordinator.js';
import { CapturingLogger } from '../support/capturing.logger.js';
import { SecPaidSecret } from '../../lib/core/secret.value.js';
import { SecPaidCloseClock } from '../../lib/core/close.deadline.js';
import { startHealthApp } from '../support/health-app.js';
import { bootstrapTestApp } from '../support/test-app.builder.js';
import { waitFor } from '../support/wait-for.js';
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

  async function exercise(apiKey: string, redis: SecPaidRedisOptions, payId: number) {
    const options: SecPaidModuleOptions = {
      apiKey,
      environment: 'development',
      baseUrl: upstream.baseUrl,
      maxRetries: 0,
      webhooks: { confirmPayments: true },
      redis: { ...redis, keyPrefix: 'shop:' },
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
        { client: client as unknown as SecPaidRedisClient },
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
      const { byNode } = await exercise('clusterIoRedisKey_2', { client }, 9302);
      const tagOf = (key: string) => /\{([0-9a-f]+)\}/.exec(key)?.[1];
      const nodesByTag = new Map<string, Set<number>>();
      for (const [port, keys] of byNode) {
        for (const key of keys) {
          const tag = tagOf(key);
          if (tag !== undefined) nodesByTag.set(tag, (nodesByTag.get(tag) ?? new Set()).add(port));
        }
      }
      expect(nodesByTag.size).toBe(2); // the two API keys so far
      const health = [...byNode.values()].flat().filter((key) => key.endsWith(':health'));
      expect(health.length).toBeGreaterThanOrEqual(1);
      for (const ports of nodesByTag.values()) expect(ports.size).toBe(1);
    } finally {
      await client.quit();
    }
  }, 60_000);

  it('{ url, cluster: true }: the module opens a cluster client from one node and closes it', async () => {
    const seed = cluster.rootNodes[2]!.url;
    const { byNode } = await exercise('clusterUrlKey_3', { url: seed, cluster: true }, 9303);
    const ports = [...byNode]
      .filter(([, keys]) => keys.some((key) => key.includes(':budget:') || key.startsWith('shop:')))
      .filter(([, keys]) => keys.some((key) => key.endsWith(':health')));
    expect(ports.length).toBeGreaterThanOrEqual(1);
    // The third API key's keys sit on one master, whichever node the URL named.
    const tags = new Map<string, Set<number>>();
    for (const [port, keys] of byNode) {
      for (const key of keys) {
        const tag = /\{([0-9a-f]+)\}/.exec(key)?.[1];
        if (tag !== undefined) tags.set(tag, (tags.get(tag) ?? new Set()).add(port));
      }
    }
    expect(tags.size).toBe(3);
    for (const owners of tags.values()) expect(owners.size).toBe(1);
  }, 60_000);

  it.each(['redis', 'ioredis'] as const)(
    'the %s library: a cluster client from one URL routes keys of every slot',
    async (library) => {
      const errors: unknown[] = [];
      const connection = await openRedisFromUrl(
        SecPaidSecret.of(cluster.rootNodes[0]!.url),
        (error) => errors.push(error),
        true,
        [library],
      );
      try {
        await connection.firstReady;
        // Keys that hash to different masters: a single-node client would get MOVED for some.
        const keys = Array.from({ length: 12 }, (_, i) => `url-cluster:${library}:${i}`);
        for (const key of keys) await connection.client.send(['SET', key, key]);
        for (const key of keys) expect(await connection.client.send(['GET', key])).toBe(key);
        const byNode = await cluster.keysByNode();
        const holding = [...byNode.values()].filter((held) =>
          held.some((key) => key.startsWith(`url-cluster:${library}:`)),
        );
        expect(holding.length).toBeGreaterThan(1);
      } finally {
        await connection.close(new SecPaidCloseClock(2_000));
      }
      expect(connection.client.isReady()).toBe(false);
      expect(errors).toEqual([]);
    },
    30_000,
  );

  it('{ url } of a cluster node without cluster: true: the outage warning says to set it', async () => {
    const logger = new CapturingLogger();
    Logger.overrideLogger(logger);
    const single = createClient({ url: cluster.rootNodes[0]!.url });
    single.on('error', () => undefined);
    await single.connect();
    try {
      const coordinator = new SecPaidRedisCoordinator(
        toRedisCommandClient(single as unknown as SecPaidRedisClient),
        'shop:',
        500,
      );
      // Keys spread over every slot range: the node redirects those it does not serve.
      const sends = Array.from({ length: 12 }, (_, i) =>
        coordinator.command(['SET', `moved:${i}`, '1']).then(
          () => 'ok',
          (error: unknown) => (error as Error).name,
        ),
      );
      expect(await Promise.all(sends)).toContain('RedisUnavailableError');
      const warnings = logger.lines.filter((line) => line.level === 'warn');
      expect(warnings.map((line) => line.message).join('\n')).toContain(
        'redis.url names a cluster node, set redis.cluster: true',
      );
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
      await single.close();
    }
  });

  it.each(['redis', 'ioredis'] as const)(
    'the %s library: a password in the cluster URL reaches every node (no connection error)',
    async (library) => {
      const secret = 'clusterPass_9f8e7d';
      const locked = await RedisClusterProcess.start(3, secret);
      const errors: unknown[] = [];
      try {
        const seed = locked.rootNodes[1]!.url;
        expect(seed).toContain(secret);
        const connection = await openRedisFromUrl(
          SecPaidSecret.of(seed),
          (error) => errors.push(error),
          true,
          [library],
        );
        try {
          await connection.firstReady;
          const keys = Array.from({ length: 12 }, (_, i) => `locked:${library}:${i}`);
          for (const key of keys) await connection.client.send(['SET', key, '1']);
          const byNode = await locked.keysByNode();
          // Every master holds some: each was reached with the URL's password.
          expect([...byNode.values()].every((held) => held.length > 0)).toBe(true);
        } finally {
          await connection.close(new SecPaidCloseClock(2_000));
        }
        expect(errors).toEqual([]);
      } finally {
        await locked.stop();
      }
    },
    60_000,
  );

  it('no node answers at boot: discovery is tried again until close, and the close ends', async () => {
    // A port that accepts and drops every connection: each discovery attempt is one connection.
    let attempts = 0;
    const dropping = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    const { port } = dropping.address() as AddressInfo;
    const errors: unknown[] = [];
    try {
      const connection = await openRedisFromUrl(
        SecPaidSecret.of(`redis://127.0.0.1:${port}`),
        (error) => errors.push(error),
        true,
        ['redis'],
      );
      // node-redis's cluster does not retry a failed discovery itself: these are ours.
      await waitFor(() => attempts >= 3);
      expect(connection.client.isReady()).toBe(false);
      await connection.close(new SecPaidCloseClock(2_000));
      const after = attempts;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(attempts).toBe(after); // none after close
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => dropping.close(resolve));
    }
  }, 30_000);

  it('{ url, cluster: true } with a password, no node answering: no log line and no printed form holds the password, close ends', async () => {
    const secret = 'clusterUrlPass_4c3b2a';
    const dropping = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    const { port } = dropping.address() as AddressInfo;
    const upstream = await SlidingWindowServer.start(60, 60_000);
    const logger = new CapturingLogger();
    try {
      const app = await bootstrapTestApp(
        SecPaidModule.forRoot({
          apiKey: 'clusterUrlKey_1a2b3c',
          environment: 'development',
          baseUrl: upstream.baseUrl,
          maxRetries: 0,
          redis: { url: `redis://secpaid:${secret}@127.0.0.1:${port}`, cluster: true },
        }),
      )
        .withLogger(logger)
        .init();
      try {
        // The first warning's reason is a failed discovery (connection errors, before any call).
        await waitFor(() => logger.lines.some((line) => line.level === 'warn'));
        // A replica that never reached Redis grants nothing from its fallback for a window
        // (docs/replicas.md): a call bounded by maxWaitMs is refused at once, after the
        // budget tried Redis.
        const http = app.get<HttpService>(SECPAID_HTTP_SERVICE);
        const bounded: AxiosRequestConfig = { secpaid: { maxWaitMs: 100 } };
        const refusal = await http.axiosRef.post('/api/v2/getMyUnusedLinks', {}, bounded).then(
          () => 'sent',
          (error: unknown) => (error as Error).name,
        );
        expect(refusal).toBe('SecPaidRateLimitError');
        expect(upstream.arrivals).toHaveLength(0);
        const printed = [
          ...logger.lines.map((line) => line.message),
          inspect(app.get(SECPAID_REDIS), { depth: 6 }),
          inspect(app.get(SECPAID_RESOLVED_OPTIONS), { depth: 6 }),
          JSON.stringify(app.get(SECPAID_RESOLVED_OPTIONS)),
        ].join('\n');
        expect(printed).not.toContain(secret);
      } finally {
        await app.close();
      }
    } finally {
      await upstream.close();
      await new Promise((resolve) => dropping.close(resolve));
    }
  }, 30_000);
});
