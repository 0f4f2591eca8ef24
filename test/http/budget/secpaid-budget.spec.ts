import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster as IoRedisCluster } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { SecPaidConnectionError, SecPaidRateLimitError } from '../../../lib/core/secpaid.errors.js';
import type { SecPaidSecret } from '../../../lib/core/secret.value.js';
import {
  type BudgetLedger,
  type BudgetSettings,
  LocalBudgetLedger,
  type SecPaidBudgetLane,
} from '../../../lib/http/budget/budget.ledger.js';
import { RedisBudgetLedger } from '../../../lib/http/budget/redis-budget.ledger.js';
import { SecPaidBudget } from '../../../lib/http/budget/secpaid-budget.js';
import { toRedisCommandClient } from '../../../lib/redis/redis-command.client.js';
import { SecPaidRedisCoordinator } from '../../../lib/redis/secpaid-redis.coordinator.js';
import type { SecPaidRedisClient } from '../../../lib/options/secpaid-redis.options.js';
import { RedisClusterProcess } from '../../support/redis-cluster.process.js';
import { RedisServerProcess } from '../../support/redis-server.process.js';

/**
 * One spec, the same assertions, for every ledger behind the budget: in process, one Redis, and
 * a three-master Redis Cluster through node-redis `createCluster` and ioredis `Cluster`. Windows
 * are short (SecPaid's minute scaled to 600 ms); assertions are about order and counts only.
 */
const WINDOW_MS = 600;

interface Backend {
  name: string;
  setUp(): Promise<void>;
  ledger(settings: BudgetSettings, apiKey: SecPaidSecret, replica: string): BudgetLedger;
  tearDown(): Promise<void>;
  /** Cluster only: every budget key of the test's API keys sits on one master. */
  cluster?: () => RedisClusterProcess;
}

function redisBackend(
  name: string,
  connect: () => Promise<{ client: SecPaidRedisClient; close: () => Promise<unknown> }>,
  server: { start(): Promise<void>; stop(): Promise<void>; cluster?: () => RedisClusterProcess },
): Backend {
  let coordinator: SecPaidRedisCoordinator;
  let close: () => Promise<unknown> = async () => undefined;
  return {
    name,
    async setUp() {
      await server.start();
      const connection = await connect();
      close = connection.close;
      coordinator = new SecPaidRedisCoordinator(
        toRedisCommandClient(connection.client),
        'secpaid:',
        2_000,
      );
    },
    ledger: (settings, apiKey, replica) =>
      new RedisBudgetLedger(coordinator, {
        apiKey,
        replica,
        settings,
        fallbackLimit: settings.limit,
      }),
    async tearDown() {
      await close();
      await server.stop();
    },
    ...(server.cluster ? { cluster: server.cluster } : {}),
  };
}

let single: RedisServerProcess | undefined;
let cluster: RedisClusterProcess | undefined;
const singleServer = {
  start: async () => {
    single = await RedisServerProcess.start();
  },
  stop: async () => single?.stop(),
};
const clusterServer = {
  start: async () => {
    cluster ??= await RedisClusterProcess.start(3);
  },
  stop: async () => undefined,
  cluster: () => cluster!,
};

const BACKENDS: Backend[] = [
  {
    name: 'in process',
    setUp: async () => undefined,
    ledger: (settings) => new LocalBudgetLedger(settings),
    tearDown: async () => undefined,
  },
  redisBackend(
    'Redis (node-redis)',
    async () => {
      const client = createClient({ url: single!.url });
      client.on('error', () => undefined);
      await client.connect();
      return { client, close: () => client.close() };
    },
    singleServer,
  ),
  redisBackend(
    'Redis Cluster (node-redis createCluster)',
    async () => {
      const client = createCluster({ rootNodes: cluster!.rootNodes });
      client.on('error', () => undefined);
      await client.connect();
      return { client: client as unknown as SecPaidRedisClient, close: () => client.close() };
    },
    clusterServer,
  ),
  redisBackend(
    'Redis Cluster (ioredis Cluster)',
    async () => {
      const client = new IoRedisCluster(cluster!.startupNodes);
      client.on('error', () => undefined);
      await new Promise((resolve) => client.once('ready', resolve));
      return { client, close: () => client.quit() };
    },
    clusterServer,
  ),
];

afterAll(async () => {
  await cluster?.stop();
}, 30_000);

let keySequence = 0;

describe.each(BACKENDS)('the budget of one key: $name', (backend) => {
  const budgets: SecPaidBudget[] = [];
  const apiKeys: string[] = [];

  beforeAll(() => backend.setUp(), 60_000);
  afterAll(async () => {
    for (const budget of budgets) budget.close();
    await backend.tearDown();
  }, 30_000);

  /** A fresh budget on a fresh API key (its own Redis keys). */
  function budgetOf(figures: Partial<BudgetSettings>, defaults: { maxWaitMs?: number } = {}) {
    const settings: BudgetSettings = {
      limit: 2,
      windowMs: WINDOW_MS,
      confirmationLimit: figures.limit ?? 2,
      maxQueue: 1_000,
      ...figures,
    };
    const apiKey = `budgetKey${++keySequence}_${Date.now()}`;
    apiKeys.push(apiKey);
    const budget = new SecPaidBudget(
      apiKey,
      (key, replica) => backend.ledger(settings, key, replica),
      defaults,
    );
    budgets.push(budget);
    return budget;
  }

  /** Starts calls and records the order in which they settle, as `name` or `name!error`. */
  function recorder(budget: SecPaidBudget) {
    const settled: string[] = [];
    const grants: number[] = [];
    const errors = new Map<string, unknown>();
    const calls: Promise<void>[] = [];
    const start = (
      name: string,
      lane: SecPaidBudgetLane = 'interactive',
      extra: { maxWaitMs?: number; signal?: AbortSignal } = {},
    ): Promise<void> => {
      const call = budget.acquire({ lane, endpoint: name, ...extra }).then(
        () => {
          grants.push(Date.now());
          settled.push(name);
        },
        (error: unknown) => {
          errors.set(name, error);
          settled.push(`${name}!`);
        },
      );
      calls.push(call);
      return call;
    };
    return { settled, grants, errors, start, all: () => Promise.all(calls) };
  }

  it('grants `limit` calls at once and the rest in arrival order, never more per window', async () => {
    const budget = budgetOf({ limit: 3 });
    const run = recorder(budget);
    for (let i = 0; i < 8; i++) await Promise.resolve(run.start(`c${i}`));
    await run.all();
    expect(run.settled).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    // Grant times (taken after each reply): any window holds at most 3 (40 ms for the reply).
    expect(peak(run.grants, WINDOW_MS - 40)).toBeLessThanOrEqual(3);
  }, 30_000);

  it('maxQueue: calls beyond it are refused at once, before any waiting call is served', async () => {
    const budget = budgetOf({ limit: 2, maxQueue: 3 });
    const run = recorder(budget);
    const started = Array.from({ length: 10 }, (_, i) => `c${i}`);
    for (const name of started) run.start(name);
    await run.all();
    const refused = run.settled.filter((name) => name.endsWith('!'));
    expect(refused).toHaveLength(5);
    // Refusals come before the first queued call is served (they are not left waiting).
    const firstQueuedServed = run.settled.indexOf('c2');
    for (const name of refused) expect(run.settled.indexOf(name)).toBeLessThan(firstQueuedServed);
    for (const name of refused) {
      const error = run.errors.get(name.slice(0, -1));
      expect(error).toBeInstanceOf(SecPaidRateLimitError);
      expect((error as SecPaidRateLimitError).clientSide).toBe(true);
    }
    expect(run.settled.filter((name) => !name.endsWith('!'))).toEqual([
      'c0',
      'c1',
      'c2',
      'c3',
      'c4',
    ]);
  }, 30_000);

  it('interactive calls go first, then confirmations, then background calls', async () => {
    const budget = budgetOf({ limit: 2 });
    const run = recorder(budget);
    run.start('fill1');
    run.start('fill2');
    run.start('b1', 'background');
    run.start('b2', 'background');
    run.start('c1', 'confirmation');
    run.start('c2', 'confirmation');
    run.start('i1', 'interactive');
    await run.all();
    expect(run.settled).toEqual(['fill1', 'fill2', 'i1', 'c1', 'c2', 'b1', 'b2']);
  }, 30_000);

  it('the confirmation cap holds confirmations back while other lanes pass them', async () => {
    const budget = budgetOf({ limit: 5, confirmationLimit: 2 });
    const run = recorder(budget);
    for (const name of ['c1', 'c2', 'c3', 'c4']) run.start(name, 'confirmation');
    run.start('i1');
    run.start('b1', 'background');
    await run.all();
    // Lower lanes are paced (window / limit apart), so the first four come in some order.
    expect([...run.settled.slice(0, 4)].sort()).toEqual(['b1', 'c1', 'c2', 'i1']);
    expect(run.settled.slice(4)).toEqual(['c3', 'c4']);
  }, 30_000);

  it('background calls not yet due keep the starts spread: after a burst of N checkouts the first waits N paces, the next one pace more', async () => {
    // 20 in 4 s: a pace of 200 ms, a headroom of 1. Pacing after the latest start alone would
    // let b1 go 200 ms after the burst and fill the window in its first half.
    const PACE_MS = 200;
    const budget = budgetOf({ limit: 20, windowMs: 4_000 });
    const run = recorder(budget);
    const burst = ['i1', 'i2', 'i3', 'i4', 'i5'].map((name) => run.start(name));
    await Promise.all(burst);
    const burstAt = Math.max(...run.grants);
    for (const name of ['b1', 'b2', 'b3']) run.start(name, 'background');
    await run.all();
    expect(run.settled).toEqual(['i1', 'i2', 'i3', 'i4', 'i5', 'b1', 'b2', 'b3']);
    const [b1, b2, b3] = run.grants.slice(5) as [number, number, number];
    // Lower bounds only (a slow machine makes the gaps longer, never shorter); 40 ms for the
    // replies and the clocks of Redis and this process.
    expect(b1 - burstAt).toBeGreaterThanOrEqual(5 * PACE_MS - 40);
    expect(b2 - b1).toBeGreaterThanOrEqual(PACE_MS - 40);
    expect(b3 - b2).toBeGreaterThanOrEqual(PACE_MS - 40);
  }, 30_000);

  it('a call whose maxWaitMs is shorter than its expected wait is refused at once; unbounded calls all complete in order', async () => {
    const budget = budgetOf({ limit: 2 });
    const run = recorder(budget);
    run.start('u1');
    run.start('u2');
    run.start('u3');
    run.start('u4');
    run.start('bounded', 'interactive', { maxWaitMs: 100 });
    run.start('patient', 'interactive', { maxWaitMs: 20_000 });
    run.start('u5');
    await run.all();
    expect(run.settled).toEqual(['u1', 'u2', 'bounded!', 'u3', 'u4', 'patient', 'u5']);
    const refusal = run.errors.get('bounded') as SecPaidRateLimitError;
    expect(refusal).toBeInstanceOf(SecPaidRateLimitError);
    expect(refusal.clientSide).toBe(true);
    expect(refusal.retryAfterMs).toBeGreaterThan(100);
  }, 30_000);

  it('the module default maxWaitMs bounds calls that give none', async () => {
    const budget = budgetOf({ limit: 1 }, { maxWaitMs: 50 });
    const run = recorder(budget);
    run.start('first');
    run.start('second');
    run.start('unbounded', 'interactive', { maxWaitMs: 60_000 });
    await run.all();
    expect(run.settled).toEqual(['first', 'second!', 'unbounded']);
  }, 30_000);

  it('an aborted call leaves the line at once and is never granted; the next one takes its turn', async () => {
    const budget = budgetOf({ limit: 1 });
    const run = recorder(budget);
    const abort = new AbortController();
    await run.start('first');
    run.start('aborted', 'interactive', { signal: abort.signal });
    run.start('next');
    await waitUntil(() => budget.waiting === 2);
    abort.abort();
    await run.all();
    expect(run.settled).toEqual(['first', 'aborted!', 'next']);
    expect(run.errors.get('aborted')).toBeInstanceOf(SecPaidConnectionError);
    expect((run.errors.get('aborted') as SecPaidConnectionError).code).toBe('ABORT_ERR');
  }, 30_000);

  it('close() rejects every waiting call with ABORT_ERR and refuses later ones', async () => {
    const budget = budgetOf({ limit: 1 });
    const run = recorder(budget);
    run.start('first');
    run.start('waiting1');
    run.start('waiting2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    budget.close();
    run.start('late');
    await run.all();
    expect(run.settled).toEqual(['first', 'waiting1!', 'waiting2!', 'late!']);
    for (const name of ['waiting1', 'waiting2', 'late']) {
      expect((run.errors.get(name) as SecPaidConnectionError).code).toBe('ABORT_ERR');
    }
  }, 30_000);

  if (backend.cluster !== undefined) {
    it('keeps every key of one API key in one hash slot (one master)', async () => {
      const byNode = await backend.cluster!().keysByNode();
      const budgetKeys = [...byNode].flatMap(([port, keys]) =>
        keys.filter((key) => key.startsWith('secpaid:budget:')).map((key) => ({ port, key })),
      );
      expect(budgetKeys.length).toBeGreaterThan(0);
      const portsByTag = new Map<string, Set<number>>();
      for (const { port, key } of budgetKeys) {
        const tag = /\{([0-9a-f]+)\}/.exec(key)![1]!;
        portsByTag.set(tag, (portsByTag.get(tag) ?? new Set()).add(port));
      }
      for (const ports of portsByTag.values()) expect(ports.size).toBe(1);
      // The keys name the hash, never the key.
      for (const { key } of budgetKeys)
        for (const apiKey of apiKeys) expect(key).not.toContain(apiKey);
    });
  }
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The most grants in any window of `windowMs`. */
function peak(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
