import { percentile, round } from './stats.js';

/** Throughput and latency of one load run. */
export interface LoadResult {
  calls: number;
  concurrency: number;
  errors: number;
  wallMs: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * Client-process CPU time (user + system) per call, in µs: the cost the client itself adds,
   * far less sensitive to other load on the machine than calls/s.
   */
  cpuUsPerCall: number;
}

/**
 * Makes `n` calls with `concurrency` in flight (a closed loop: each worker starts its next call
 * when the previous one settles) and measures each call's latency. Errors are counted, not
 * thrown, so one failure does not hide the figures; the runner reports them.
 */
export async function runLoad(
  call: (index: number) => Promise<unknown>,
  n: number,
  concurrency: number,
): Promise<LoadResult> {
  return summarise(await measureLoad(call, n, concurrency), concurrency);
}

/** Raw figures of one run: per-call latencies (unsorted), errors, wall time. */
export interface LoadSamples {
  latencies: Float64Array;
  errors: number;
  wallMs: number;
  /** Client-process CPU time of the run, µs. */
  cpuUs: number;
}

/** Like {@link runLoad}, but returns the raw samples so several runs can be pooled. */
export async function measureLoad(
  call: (index: number) => Promise<unknown>,
  n: number,
  concurrency: number,
): Promise<LoadSamples> {
  const latencies = new Float64Array(n);
  let next = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const index = next++;
      const started = performance.now();
      try {
        await call(index);
      } catch {
        errors++;
      }
      latencies[index] = performance.now() - started;
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { latencies, errors, wallMs, cpuUs: user + system };
}

/**
 * Pools several runs of the same cell: calls/s is the median of the runs' rates (robust to a
 * run disturbed by other load on the machine), p50/p99 come from all latencies together.
 */
export function summarise(
  runs: LoadSamples | readonly LoadSamples[],
  concurrency: number,
): LoadResult {
  const list: readonly LoadSamples[] = Array.isArray(runs) ? runs : [runs as LoadSamples];
  const calls = list.reduce((sum, r) => sum + r.latencies.length, 0);
  const all = new Float64Array(calls);
  let offset = 0;
  for (const run of list) {
    all.set(run.latencies, offset);
    offset += run.latencies.length;
  }
  all.sort();
  const rates = Float64Array.from(list.map((r) => (r.latencies.length / r.wallMs) * 1000)).sort();
  const cpu = Float64Array.from(list.map((r) => r.cpuUs / r.latencies.length)).sort();
  return {
    calls,
    concurrency,
    errors: list.reduce((sum, r) => sum + r.errors, 0),
    wallMs: round(
      list.reduce((sum, r) => sum + r.wallMs, 0),
      1,
    ),
    callsPerSec: Math.round(percentile(rates, 50)),
    p50Ms: round(percentile(all, 50), 3),
    p99Ms: round(percentile(all, 99), 3),
    cpuUsPerCall: Math.round(percentile(cpu, 50)),
  };
}
