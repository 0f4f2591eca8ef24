import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SecPaidService } from '../lib/index.js';
import { RedisServerProcess } from '../test/support/redis-server.process.js';
import { SlidingWindowServer } from '../test/support/sliding-window.server.js';
import { createBenchApp } from './bench-app.js';
import { percentile, round } from './stats.js';

/** One replicas scenario: `replicas` processes sharing one key through Redis. */
export interface ReplicasScenarioResult {
  replicas: number;
  calls: number;
  succeeded: number;
  failed: number;
  /** Answers of 429 the strict server gave (goal 0). */
  rateLimited: number;
  /** Most requests the server saw in any sliding 60 s (goal <= 60). */
  peakIn60s: number;
  /**
   * Accepted requests (each replica's one start-up call included) in the first two minutes from
   * the first request, / 120: the share of two windows' budget put to use (goal >= 0.95).
   */
  usefulShare: number;
  totalMs: number;
}

/** Per-call latency with and without Redis, limiter never full. */
export interface RedisLatencyResult {
  calls: number;
  withoutRedis: { p50Ms: number; p99Ms: number };
  withRedis: { p50Ms: number; p99Ms: number };
  addedP50Ms: number;
  addedP99Ms: number;
}

export interface ReplicasResult {
  scenarios: ReplicasScenarioResult[];
  latency: RedisLatencyResult;
}

const CHILD = fileURLToPath(new URL('./replica-child.js', import.meta.url));
const MINUTE = 60_000;

/** Starts `replicas` children, sends `go` to all at once, collects their outcomes. */
async function runScenario(
  replicas: number,
  calls: number,
  redisUrl: string,
): Promise<ReplicasScenarioResult> {
  const upstream = await SlidingWindowServer.start(60, MINUTE);
  const apiKey = `benchReplicas${replicas}_${Date.now()}`;
  try {
    const share = Math.ceil(calls / replicas);
    const children = Array.from({ length: replicas }, () =>
      fork(CHILD, [JSON.stringify({ apiKey, baseUrl: upstream.baseUrl, redisUrl, calls: share })], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    await Promise.all(
      children.map((child) => new Promise((resolve) => child.once('message', resolve))),
    );
    const started = performance.now();
    const outcomes = await Promise.all(
      children.map(
        (child) =>
          new Promise<string[]>((resolve) => {
            child.once('message', (message: { outcomes: string[] }) => resolve(message.outcomes));
            child.send('go');
          }),
      ),
    );
    const totalMs = performance.now() - started;
    const all = outcomes.flat();
    // The one readiness call per replica counts as useful work of the same budget.
    const arrivals = upstream.arrivals;
    const first = arrivals[0]?.at ?? 0;
    const accepted = arrivals.filter((a) => a.status === 200 && a.at - first < 2 * MINUTE).length;
    return {
      replicas,
      calls: all.length,
      succeeded: all.filter((o) => o === 'ok').length,
      failed: all.filter((o) => o !== 'ok').length,
      rateLimited: upstream.rejected,
      peakIn60s: upstream.peakInAnyWindow(MINUTE),
      usefulShare: round(accepted / 120, 3),
      totalMs: Math.round(totalMs),
    };
  } finally {
    await upstream.close();
  }
}

/** Sequential calls through one app with and without `redis`, interleaved in rounds. */
async function measureLatency(redisUrl: string, calls: number): Promise<RedisLatencyResult> {
  const upstream = await SlidingWindowServer.start(Number.MAX_SAFE_INTEGER, MINUTE);
  const options = {
    apiKey: `benchLatency_${Date.now()}`,
    environment: 'development' as const,
    baseUrl: upstream.baseUrl,
    rateLimit: { requestsPerMinute: 1_000_000 },
  };
  const local = await createBenchApp(options);
  const shared = await createBenchApp({ ...options, redis: { url: redisUrl } });
  try {
    const services = [local.get(SecPaidService), shared.get(SecPaidService)] as const;
    for (const service of services) for (let i = 0; i < 200; i++) await service.getMyUnusedLinks();
    const samples: [number[], number[]] = [[], []];
    for (let round = 0; round < 5; round++) {
      for (const index of [0, 1] as const) {
        for (let i = 0; i < calls / 5; i++) {
          const started = performance.now();
          await services[index].getMyUnusedLinks();
          samples[index].push(performance.now() - started);
        }
      }
    }
    const stats = (values: number[]) => {
      const sorted = Float64Array.from(values).sort();
      return { p50Ms: round(percentile(sorted, 50), 3), p99Ms: round(percentile(sorted, 99), 3) };
    };
    const withoutRedis = stats(samples[0]);
    const withRedis = stats(samples[1]);
    return {
      calls,
      withoutRedis,
      withRedis,
      addedP50Ms: round(withRedis.p50Ms - withoutRedis.p50Ms, 3),
      addedP99Ms: round(withRedis.p99Ms - withoutRedis.p99Ms, 3),
    };
  } finally {
    await shared.close();
    await local.close();
    await upstream.close();
  }
}

/**
 * Benchmark 6 (several replicas), started first because it waits two minutes in child
 * processes: 1, 2 and 4 replica processes share one key through a real redis-server and burst
 * `calls` requests (2.5 x the budget) at a strict 60-per-sliding-minute server; the scenarios
 * run side by side (different keys, so different budgets). `finish()` then measures the latency
 * Redis adds to one call (run it when nothing else is measured) and stops Redis.
 */
export async function startReplicasBench(
  calls = 150,
  latencyCalls = 1000,
): Promise<{ finish(): Promise<ReplicasResult> }> {
  const redis = await RedisServerProcess.start();
  const scenarios = Promise.all([1, 2, 4].map((n) => runScenario(n, calls, redis.url)));
  scenarios.catch(() => undefined); // awaited in finish()
  return {
    async finish() {
      try {
        return {
          scenarios: await scenarios,
          latency: await measureLatency(redis.url, latencyCalls),
        };
      } finally {
        await redis.stop();
      }
    },
  };
}
