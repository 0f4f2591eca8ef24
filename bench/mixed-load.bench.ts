import { fork, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { RedisServerProcess } from '../test/support/redis-server.process.js';
import { SlidingWindowServer } from '../test/support/sliding-window.server.js';
import { nestedPayload } from '../test/support/webhook.fixtures.js';
import { percentile, round, sleep } from './stats.js';

/** Bench 6, mixed load: 4 replicas on one key, demand above the budget (#24). */
export interface MixedLoadResult {
  replicas: number;
  durationMs: number;
  /** Answers of 429 from the strict server (goal 0). */
  rateLimited: number;
  /** Most requests in any sliding 60 s (goal <= 60). */
  peakIn60s: number;
  /** Confirmation lookups (getPayInTransactions) per minute, all replicas (goal <= 12). */
  confirmationCallsPerMinute: number;
  /** Most confirmation lookups in any sliding 60 s (SecPaid's minute; goal <= 12). */
  confirmationPeakIn60s: number;
  /** Accepted requests / (60 per minute) after the first minute, while demand exceeds it. */
  budgetUsedShare: number;
  interactive: {
    calls: number;
    failed: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    /** The five slowest calls: seconds after the start, and their wait. */
    slowest: { atS: number; waitMs: number }[];
    /** p99 of the calls that started after the first minute (the steady state). */
    p99AfterFirstMinuteMs: number;
  };
  /** What the background export got: pages, and their share of the accepted requests. */
  background: { pages: number; share: number };
  forgedWebhooks: number;
  probes: number;
  /** Switches to the outage fallback (a Redis reply later than commandTimeoutMs), all replicas. */
  redisOutages: number;
}

const CHILD = fileURLToPath(new URL('./mixed-load-child.js', import.meta.url));

/**
 * 4 replicas, interactive createLinks at about 30/min in total, forged webhooks at 5 per second
 * round-robin, one background export paging on replica 0, a readiness probe every 5 s on each
 * replica. Runs `durationMs` (default 3 minutes) against a strict 60/min sliding window.
 */
export async function benchMixedLoad(
  durationMs = Number(process.env['MIXED_DURATION_MS'] ?? 180_000),
): Promise<MixedLoadResult> {
  const redis = await RedisServerProcess.start();
  const upstream = await SlidingWindowServer.start(60, 60_000);
  const apiKey = `benchMixed_${Date.now()}`;
  const children: ChildProcess[] = [];
  try {
    const replicas = 4;
    const origins: string[] = [];
    for (let i = 0; i < replicas; i++) {
      const child = fork(
        CHILD,
        [
          JSON.stringify({
            apiKey,
            baseUrl: upstream.baseUrl,
            redisUrl: redis.url,
            export: i === 0,
            durationMs,
            interactiveEveryMs: 8_000, // 4 x 7.5/min = 30/min
          }),
        ],
        { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      children.push(child);
      const ready = (await new Promise((resolve) => child.once('message', resolve))) as {
        origin: string;
      };
      origins.push(ready.origin);
    }
    const reports = children.map(
      (child) =>
        new Promise<{
          interactiveWaits: number[];
          interactiveCalls: { atMs: number; waitMs: number }[];
          interactiveFailed: number;
          exportPages: number;
          probes: number;
          redisOutages: number;
        }>((resolve) => child.once('message', resolve as (m: unknown) => void)),
    );
    const started = Date.now();
    for (const child of children) child.send('go');
    // Forged payment.succeeded webhooks: 5 per second, round-robin.
    let forged = 0;
    while (Date.now() - started < durationMs) {
      for (let i = 0; i < 5; i++) {
        const origin = origins[forged % replicas]!;
        void postJson(`${origin}/secpaid/webhook`, nestedPayload(900_000 + forged, 5));
        forged++;
      }
      await sleep(1_000);
    }
    const results = await Promise.all(reports);
    const arrivals = upstream.arrivals.filter(
      (a) => a.at >= started && a.at < started + durationMs,
    );
    const accepted = arrivals.filter((a) => a.status === 200);
    const steady = accepted.filter((a) => a.at >= started + 60_000);
    const lookups = arrivals.filter((a) => a.path.endsWith('getPayInTransactions'));
    const waits = Float64Array.from(results.flatMap((r) => r.interactiveWaits)).sort();
    const exportPages = results.reduce((sum, r) => sum + r.exportPages, 0);
    return {
      replicas,
      durationMs,
      rateLimited: upstream.rejected,
      peakIn60s: upstream.peakInAnyWindow(60_000),
      confirmationCallsPerMinute: round(lookups.length / (durationMs / 60_000)),
      confirmationPeakIn60s: peakOf(
        lookups.map((a) => a.at),
        60_000,
      ),
      budgetUsedShare: round(steady.length / ((durationMs - 60_000) / 1_000)),
      interactive: {
        calls: waits.length,
        failed: results.reduce((sum, r) => sum + r.interactiveFailed, 0),
        p50Ms: round(percentile(waits, 50)),
        p99Ms: round(percentile(waits, 99)),
        maxMs: round(waits[waits.length - 1] ?? Number.NaN),
        // When the slow ones happened: the first minute (start-up) or the steady state.
        slowest: results
          .flatMap((r) => r.interactiveCalls)
          .sort((a, b) => b.waitMs - a.waitMs)
          .slice(0, 5)
          .map((call) => ({ atS: round(call.atMs / 1_000), waitMs: round(call.waitMs) })),
        p99AfterFirstMinuteMs: round(
          percentile(
            Float64Array.from(
              results
                .flatMap((r) => r.interactiveCalls)
                .filter((call) => call.atMs >= 60_000)
                .map((call) => call.waitMs),
            ).sort(),
            99,
          ),
        ),
      },
      background: {
        pages: exportPages,
        share: round(
          accepted.filter((a) => a.path.endsWith('getPayOutTransactions')).length / accepted.length,
        ),
      },
      forgedWebhooks: forged,
      probes: results.reduce((sum, r) => sum + r.probes, 0),
      redisOutages: results.reduce((sum, r) => sum + r.redisOutages, 0),
    };
  } finally {
    for (const child of children) if (child.connected) child.kill();
    await upstream.close();
    await redis.stop();
  }
}

function peakOf(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

function postJson(url: string, body: unknown): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', () => resolve());
    req.end(JSON.stringify(body));
  });
}
