import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  SecPaidConnectionError,
  SecPaidModule,
  SecPaidRateLimitError,
  SecPaidService,
  type SecPaidModuleOptions,
} from '../../lib/index.js';
import { LocalBudgetLedger } from '../../lib/http/budget/budget.ledger.js';
import { SecPaidBudget } from '../../lib/http/budget/secpaid-budget.js';
import { settledWithin } from '../support/settled-within.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { rejectionOf } from '../support/service-app.harness.js';

// Issue 15, defects 3 and 7: calls waiting in the limiter when the app closes, and the queue.
const API_KEY = 'sk_test_shutdown';
const LINK = JSON.stringify({
  ResponseCode: 1,
  ResponseMsg: 'ok',
  Result: 'True',
  data: { id: 7, amount: 10, pay_link: 'https://pay.example/7', status: 'Unused' },
});

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respondWith((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(LINK);
  });
});

async function startApp(extra: Partial<SecPaidModuleOptions>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      SecPaidModule.forRoot({
        apiKey: API_KEY,
        environment: 'development',
        baseUrl: server.baseUrl,
        ...extra,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('defect 3: nothing outlives app.close()', () => {
  it('calls waiting in the limiter reject promptly with ABORT_ERR; nothing is sent after close', async () => {
    const app = await startApp({ rateLimit: { requestsPerMinute: 2 } });
    const service = app.get(SecPaidService);
    const calls = Array.from({ length: 10 }, (_, i) =>
      rejectionOf(service.createLink({ amount: 10, note: `order ${i}` })).catch(() => undefined),
    );
    await until(() => server.requests.length === 2);
    // The limiter window is 61 s: before the fix these stayed pending for a minute, then sent.
    await settledWithin(app.close(), 10_000);
    const outcomes = await settledWithin(Promise.all(calls.slice(2)), 10_000);
    for (const error of outcomes) {
      expect(error).toBeInstanceOf(SecPaidConnectionError);
      expect(error).toMatchObject({ code: 'ABORT_ERR', requestMayHaveReachedServer: false });
    }
    await expect(service.createLink({ amount: 10 })).rejects.toMatchObject({ code: 'ABORT_ERR' });
    expect(server.requests).toHaveLength(2);
  });

  it('a call already sent is awaited by close(), and gets its answer', async () => {
    let answer: (() => void) | undefined;
    server.respondWith((_request, response) => {
      answer = () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(LINK);
      };
    });
    const app = await startApp({ rateLimit: false });
    const sent = app.get(SecPaidService).createLink({ amount: 10 });
    await until(() => answer !== undefined);
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    answer!();
    await expect(sent).resolves.toMatchObject({ id: 7 });
    await settledWithin(closing, 10_000);
  });

  it('a retry waiting in backoff ends at close and is not sent', async () => {
    server.respondWith((_request, response) => {
      response.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      response.end('{}');
    });
    const app = await startApp({ rateLimit: false });
    const call = rejectionOf(app.get(SecPaidService).getMyUnusedLinks());
    await until(() => server.requests.length === 1);
    await settledWithin(app.close(), 10_000);
    // Retry-After 30 s: before the fix it slept 30 s, then sent again.
    const error = await settledWithin(call, 10_000);
    expect(error).toMatchObject({ code: 'ABORT_ERR' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('defect 7: the limiter queue', () => {
  it('rateLimit.maxQueue: one call over the cap is refused at once with SecPaidRateLimitError', async () => {
    const app = await startApp({ rateLimit: { requestsPerMinute: 1, maxQueue: 2 } });
    const service = app.get(SecPaidService);
    await service.createLink({ amount: 10 });
    const waiting = [service.createLink({ amount: 11 }), service.createLink({ amount: 12 })];
    waiting.forEach((call) => call.catch(() => undefined));
    const refused = await settledWithin(rejectionOf(service.createLink({ amount: 13 })), 10_000);
    expect(refused).toBeInstanceOf(SecPaidRateLimitError);
    expect(refused).toMatchObject({ clientSide: true, endpoint: 'createLink' });
    expect(server.requests).toHaveLength(1);
    await app.close();
    await Promise.allSettled(waiting);
  });

  it('aborting 200k queued calls is O(1) each (it used to scan the queue per abort)', async () => {
    const settings = { limit: 1, windowMs: 60_000, confirmationLimit: 1, maxQueue: 1_000_000 };
    const budget = new SecPaidBudget('adversarialKey_1', () => new LocalBudgetLedger(settings));
    await budget.acquire();
    // Minimal signals (axios' GenericAbortSignal shape): Node's EventTarget costs ~50 µs per
    // listener on a loaded machine, which would hide the limiter's own cost.
    const signals = Array.from({ length: 200_000 }, () => new TinySignal());
    const waiting = signals.map((signal) =>
      budget.acquire({ signal, endpoint: 'createLink' }).catch(() => undefined),
    );
    await new Promise((resolve) => setImmediate(resolve)); // the ledger's answers
    expect(budget.waiting).toBe(200_000);
    // Last queued first: the old indexOf + splice scanned the whole queue for each, about
    // 2 * 10^10 steps (many minutes), which the test's 60 s hang guard catches; marking an entry
    // gone is a few ms for all of them. No wall-clock assertion: a loaded machine must not fail it.
    // Stack traces off: 200k rejection errors would otherwise dominate the work.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      for (let i = signals.length - 1; i >= 0; i--) signals[i]!.abort();
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    await Promise.all(waiting);
    expect(budget.waiting).toBe(0);
    budget.close();
  }, 60_000);
});

/** The smallest signal axios accepts: one listener, fired once. */
class TinySignal {
  aborted = false;
  private listener: (() => void) | undefined;
  addEventListener(_type: 'abort', listener: () => void): void {
    this.listener = listener;
  }
  removeEventListener(): void {
    this.listener = undefined;
  }
  abort(): void {
    this.aborted = true;
    this.listener?.();
  }
}
