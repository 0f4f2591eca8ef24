import { SecPaidHealthIndicator } from '../lib/health/index.js';
import { createBenchApp } from './bench-app.js';
import type { MockProcess } from './mock-process.js';
import { percentile, round, sleep } from './stats.js';

/** Result of benchmark 2 (probe amplification). */
export interface ProbeResult {
  probes: number;
  /** Probes fired together per tick (several replicas / probe kinds at once). */
  probesPerTick: number;
  durationMs: number;
  cacheTtlMs: number;
  /** Requests the mock received for the verification endpoint during the run. */
  upstreamCalls: number;
  /** ceil(duration / TTL): one check per TTL window is the goal. */
  upstreamGoal: number;
  down: number;
  cachedProbes: number;
  cachedP50Ms: number;
  cachedP99Ms: number;
  /** Slowest probe that had to wait for a real check. */
  uncachedMaxMs: number;
}

const VERIFY_PATH = '/api/v2/getTaxInvoiceList';

/**
 * Benchmark 2: `probes` readiness checks spread evenly over `durationMs` through
 * `SecPaidHealthIndicator.isHealthy()`, `probesPerTick` at a time, with `health.cacheTtlMs`
 * set to `cacheTtlMs`; counts what reached the mock.
 */
export async function benchProbes(
  mock: MockProcess,
  options: { probes: number; durationMs: number; probesPerTick: number; cacheTtlMs: number },
): Promise<ProbeResult> {
  const app = await createBenchApp(
    {
      apiKey: mock.apiKey,
      environment: 'development',
      baseUrl: mock.baseUrl,
      rateLimit: false,
      health: { cacheTtlMs: options.cacheTtlMs },
    },
    true,
  );
  try {
    const indicator = app.get(SecPaidHealthIndicator);
    await mock.reset();
    const ticks = Math.ceil(options.probes / options.probesPerTick);
    const interval = options.durationMs / ticks;
    const cached: number[] = [];
    let uncachedMaxMs = 0;
    let down = 0;
    const started = performance.now();
    const pending: Promise<void>[] = [];
    const probe = async (): Promise<void> => {
      const t = performance.now();
      const result = await indicator.isHealthy();
      const latency = performance.now() - t;
      const data = result['secpaid'] as { status: string; cached?: boolean };
      if (data.status !== 'up') down++;
      if (data.cached === true) cached.push(latency);
      else uncachedMaxMs = Math.max(uncachedMaxMs, latency);
    };
    for (let tick = 0; tick < ticks; tick++) {
      const due = started + tick * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      for (let i = 0; i < options.probesPerTick; i++) pending.push(probe());
    }
    await Promise.all(pending);
    const durationMs = performance.now() - started;
    const sorted = Float64Array.from(cached).sort();
    return {
      probes: ticks * options.probesPerTick,
      probesPerTick: options.probesPerTick,
      durationMs: Math.round(durationMs),
      cacheTtlMs: options.cacheTtlMs,
      upstreamCalls: await mock.count(VERIFY_PATH),
      upstreamGoal: Math.ceil(durationMs / options.cacheTtlMs),
      down,
      cachedProbes: cached.length,
      cachedP50Ms: round(percentile(sorted, 50), 3),
      cachedP99Ms: round(percentile(sorted, 99), 3),
      uncachedMaxMs: round(uncachedMaxMs, 2),
    };
  } finally {
    await app.close();
  }
}
