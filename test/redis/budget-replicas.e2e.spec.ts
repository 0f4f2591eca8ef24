import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisServerProcess } from '../support/redis-server.process.js';
import { SlidingWindowServer } from '../support/sliding-window.server.js';
import { post } from '../support/webhook-app.harness.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import { waitFor } from '../support/wait-for.js';
import { ReplicaProcess, type ReplicaSettings } from './replica.process.js';

/**
 * One budget per key across three replicas (child processes) against a strict server: SecPaid's
 * minute scaled to 2 s (10 requests), the budget's window 6 s (a 4 s margin, so that a Redis
 * reply slowed by a loaded machine stays within `commandTimeoutMs` and no call takes the outage
 * path, which keeps its place only locally). Assertions are about counts and order, never
 * durations.
 */
const LIMIT = 10;
const MAX_QUEUE = 16;
const CONFIRMATION_CAP = 2;
const SERVER_WINDOW_MS = 2_000;
const BUDGET_WINDOW_MS = 6_000;
const API_KEY = 'budgetReplicaKey_5e4d3c2b1a';

describe('one budget per key across three replicas: bounds and lanes', () => {
  let redis: RedisServerProcess;
  let upstream: SlidingWindowServer;
  let replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    upstream = await SlidingWindowServer.start(LIMIT, SERVER_WINDOW_MS);
    const settings: ReplicaSettings = {
      apiKey: API_KEY,
      baseUrl: upstream.baseUrl,
      redisUrl: redis.url,
      requestsPerMinute: LIMIT,
      windowMs: BUDGET_WINDOW_MS,
      healthTtlMs: 5_000,
      claimTtlMs: 3_000,
      maxQueue: MAX_QUEUE,
      confirmCallsPerMinute: CONFIRMATION_CAP,
      // A grant answered later than this is dropped (never sent late): keep it under the
      // window's 4 s margin, and long enough that a loaded machine does not take order tests
      // through the outage path (a loaded CI run reordered the second test's calls once with
      // 800 ms in a 4 s window, and once with 1.5 s).
      commandTimeoutMs: 3_000,
    };
    replicas = await Promise.all([1, 2, 3].map(() => ReplicaProcess.start(settings)));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await upstream?.close();
    await redis?.stop();
  }, 30_000);

  /** Waits until the window of the last burst is over (nothing queued, no start inside it). */
  const quiet = () => new Promise((resolve) => setTimeout(resolve, BUDGET_WINDOW_MS + 200));

  it('maxQueue counts per key: the overflow is refused at once on every replica, nothing earns a 429', async () => {
    const sentBefore = upstream.arrivals.length;
    const burst = replicas[0]!.calls(30, true, { endpoint: 'getTaxInvoiceList' });
    // The first window is sent and MAX_QUEUE calls wait: the queue of the key is full.
    await waitFor(() => upstream.count('getTaxInvoiceList') >= LIMIT);
    const others = Promise.all([
      replicas[1]!.calls(3, true, { endpoint: 'getMyUsedLinks' }),
      replicas[2]!.calls(3, true, { endpoint: 'getMyUsedLinks' }),
    ]);
    // The other replicas' calls are refused before the first queued call is served.
    const first = await Promise.race([others.then(() => 'others'), burst.then(() => 'burst')]);
    expect(first).toBe('others');
    expect((await others).flat()).toEqual(Array(6).fill('SecPaidRateLimitError'));
    const answers = await burst;
    expect(answers.filter((a) => a === '200')).toHaveLength(LIMIT + MAX_QUEUE);
    expect(answers.filter((a) => a === 'SecPaidRateLimitError')).toHaveLength(
      30 - LIMIT - MAX_QUEUE,
    );
    expect(upstream.count('getMyUsedLinks')).toBe(0); // refused calls were never sent
    expect(upstream.arrivals.length - sentBefore).toBe(LIMIT + MAX_QUEUE);
    expect(upstream.rejected).toBe(0);
    await quiet();
  }, 60_000);

  it('a call whose maxWaitMs is shorter than its expected wait is refused at once and never sent; slots go in order of arrival across replicas', async () => {
    // Replica 0: a window at once, then 8 waiting. Replica 2's 3 calls arrive after them: when
    // the window frees its 10 slots, replica 0's 8 hold theirs, so only 2 of replica 2's fit.
    // Who sends first in that moment depends on which replica talks to Redis first (each
    // sends its own grants); which calls get the slots does not.
    const burst = replicas[0]!.calls(LIMIT + 8, true, { endpoint: 'getPayOutTransactions' });
    await waitFor(() => upstream.count('getPayOutTransactions') >= LIMIT);
    const bounded = await replicas[1]!.calls(2, true, {
      endpoint: 'deleteLink',
      maxWaitMs: 300,
    });
    expect(bounded).toEqual(['SecPaidRateLimitError', 'SecPaidRateLimitError']);
    expect(upstream.count('deleteLink')).toBe(0);
    const unbounded = replicas[2]!.calls(3, true, { endpoint: 'getMyUnusedLinks' });
    expect(await burst).toEqual(Array(LIMIT + 8).fill('200'));
    expect(await unbounded).toEqual(['200', '200', '200']);
    const waited = upstream.arrivals
      .filter((a) => /getPayOutTransactions|getMyUnusedLinks/.test(a.path))
      .slice(LIMIT)
      .map((a) => a.path.split('/').pop());
    const secondWindow = waited.slice(0, LIMIT).sort();
    expect({ secondWindow, third: waited.slice(LIMIT) }).toEqual({
      secondWindow: [
        ...Array(2).fill('getMyUnusedLinks'),
        ...Array(8).fill('getPayOutTransactions'),
      ],
      third: ['getMyUnusedLinks'],
    });
    expect(upstream.rejected).toBe(0);
    await quiet();
  }, 60_000);

  it('during a forged-webhook flood and a background batch, an interactive createLink on another replica goes first; confirmations stay within the cap for all replicas together', async () => {
    // A window's worth of background calls: in arrival order (FIFO) they would all go at once
    // and the createLink after them; a lower lane not yet due is paced and leaves headroom.
    const BATCH = LIMIT;
    const started = upstream.arrivals.length;
    const countBefore = upstream.count('getTaxInvoiceList');
    // Forged payment.succeeded webhooks, round-robin over the three replicas.
    const flood = Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post(
          `${replicas[i % 3]!.origin}/secpaid/webhook`,
          JSON.stringify(nestedPayload(50_000 + i, 5)),
          JSON_TYPE,
        ),
      ),
    );
    const batch = replicas[2]!.calls(BATCH, true, {
      endpoint: 'getTaxInvoiceList',
      lane: 'background',
    });
    // The batch is in line (its first call arrived): the createLink comes after all of it.
    await waitFor(() => upstream.count('getTaxInvoiceList') > countBefore);
    const interactive = replicas[1]!.calls(1, true, { endpoint: 'createLink' });
    expect(await interactive).toEqual(['200']);
    expect(await batch).toEqual(Array(BATCH).fill('200'));
    const since = upstream.arrivals.slice(started);
    const createAt = since.findIndex((a) => a.path.endsWith('createLink'));
    // It came after the batch but did not wait behind all of it.
    const backgroundAfter = since
      .slice(createAt + 1)
      .filter((a) => a.path.endsWith('getTaxInvoiceList'));
    expect(backgroundAfter.length).toBeGreaterThanOrEqual(1);
    await flood;
    // Webhook lookups of all three replicas together: at most the cap in any budget window
    // (arrival times; 300 ms of the window's margin for transit under load).
    const lookups = since.filter((a) => a.path.endsWith('getPayInTransactions'));
    expect(lookups.length).toBeGreaterThan(0);
    expect(
      peak(
        lookups.map((a) => a.at),
        BUDGET_WINDOW_MS - 300,
      ),
    ).toBeLessThanOrEqual(CONFIRMATION_CAP);
    expect(upstream.rejected).toBe(0);
  }, 90_000);
});

/** The most arrivals in any window of `windowMs`. */
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
