import { SecPaidService } from '../lib/index.js';
import { SECPAID_BUDGET, SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS } from '../lib/secpaid.constants.js';
import { createBenchApp } from './bench-app.js';
import { BENCH_AMOUNT } from './clients/bench-client.js';
import { MockProcess } from './mock-process.js';
import { round } from './stats.js';

/** Result of one burst against a rate-limited mock (benchmark 3). */
export interface RateLimitResult {
  /** Limit of both the module's limiter and the mock, per minute (`false`: both off). */
  requestsPerMinute: number | false;
  calls: number;
  succeeded: number;
  failed: number;
  /** Requests the mock received for createLink; every one beyond `calls` was a 429 retried. */
  upstreamRequests: number;
  /** 429 answers seen (upstream requests - calls; goal 0). */
  rateLimited: number;
  totalMs: number;
  /**
   * Least time the server's limit allows: `limit` calls per 60 s, so call k (0-based) cannot be
   * answered earlier than floor(k / limit) * 60 s after the first.
   */
  theoreticalMinMs: number;
  /** The module limiter's sliding window (ms), read from the running app; `null` when off. */
  limiterWindowMs: number | null;
  /** floor((calls - 1) / limit) * limiterWindowMs: what the limiter itself allows at best. */
  limiterMinMs: number;
  /** When the first call past the first window was answered (ms from the start), if any. */
  firstWaitingCallDoneMs?: number;
}

const WINDOW_MS = 60_000;

/**
 * Fires `calls` createLink calls at once through SecPaidService with the limiter at
 * `requestsPerMinute`, against a mock (own process) enforcing the same limit.
 */
export async function benchRateLimitBurst(
  requestsPerMinute: number | false,
  calls: number,
): Promise<RateLimitResult> {
  const mock = await MockProcess.start(requestsPerMinute === false ? false : { requestsPerMinute });
  const app = await createBenchApp({
    apiKey: mock.apiKey,
    environment: 'development',
    baseUrl: mock.baseUrl,
    rateLimit: requestsPerMinute === false ? false : { requestsPerMinute },
  });
  try {
    const service = app.get(SecPaidService);
    const budget = app.get<unknown>(SECPAID_BUDGET);
    const windowMs = budget === null ? null : SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS;
    const doneAt: number[] = new Array<number>(calls);
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: calls }, (_, i) =>
        service.createLink({ amount: BENCH_AMOUNT, note: `Burst ${i}` }).then(
          () => {
            doneAt[i] = performance.now() - started;
          },
          () => {
            failed++;
          },
        ),
      ),
    );
    const totalMs = performance.now() - started;
    const upstreamRequests = await mock.count('/api/v2/createLink');
    const limit = requestsPerMinute === false ? Infinity : requestsPerMinute;
    const result: RateLimitResult = {
      requestsPerMinute,
      calls,
      succeeded: calls - failed,
      failed,
      upstreamRequests,
      rateLimited: upstreamRequests - calls,
      totalMs: Math.round(totalMs),
      theoreticalMinMs: Math.floor((calls - 1) / limit) * WINDOW_MS,
      limiterWindowMs: windowMs,
      limiterMinMs: Math.floor((calls - 1) / limit) * (windowMs ?? 0),
    };
    if (calls > limit && doneAt[limit] !== undefined) {
      result.firstWaitingCallDoneMs = round(doneAt[limit]!, 0);
    }
    return result;
  } finally {
    await app.close();
    await mock.stop();
  }
}
