import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  SecPaidConnectionError,
  SecPaidModule,
  SecPaidService,
  getSecPaidServiceToken,
  type SecPaidModuleOptions,
} from '../../lib/index.js';
import { SecPaidRateBudgets } from '../../lib/http/rate-budgets.js';
import { SecPaidApiKeyHolder } from '../../lib/options/api-key.holder.js';
import { SecPaidRateLimiter } from '../../lib/http/rate-limiter.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';

const limiter = (): SecPaidRateLimiter => new SecPaidRateLimiter({ limit: 1 });

describe('SecPaidRateBudgets', () => {
  it("gives the module's key (or no key) the module's limiter, and every other key its own", () => {
    const own = limiter();
    const budgets = new SecPaidRateBudgets(SecPaidApiKeyHolder.fixed('moduleKey'), own, limiter);
    expect(budgets.limiterFor(undefined)).toBe(own);
    expect(budgets.limiterFor('moduleKey')).toBe(own);
    const first = budgets.limiterFor('merchantOne');
    expect(first).not.toBe(own);
    expect(budgets.limiterFor('merchantOne')).toBe(first);
    expect(budgets.limiterFor('merchantTwo')).not.toBe(first);
    expect(budgets.size).toBe(2);
  });

  it('keeps at most maxBudgets, dropping the least recently used', () => {
    const budgets = new SecPaidRateBudgets(
      SecPaidApiKeyHolder.fixed('moduleKey'),
      limiter(),
      limiter,
      2,
    );
    const one = budgets.limiterFor('keyOne');
    const two = budgets.limiterFor('keyTwo');
    expect(budgets.limiterFor('keyOne')).toBe(one); // keyOne is now the most recent
    budgets.limiterFor('keyThree'); // drops keyTwo
    expect(budgets.size).toBe(2);
    expect(budgets.limiterFor('keyOne')).toBe(one);
    expect(budgets.limiterFor('keyTwo')).not.toBe(two);
  });

  it('never holds a key, only its hash (prototype-like keys included)', () => {
    const budgets = new SecPaidRateBudgets(
      SecPaidApiKeyHolder.fixed('moduleSecret123'),
      limiter(),
      limiter,
    );
    for (const key of ['merchantSecret456', '__proto__', 'constructor']) budgets.limiterFor(key);
    const dump = inspect(budgets, { depth: 10, showHidden: true });
    for (const key of ['moduleSecret123', 'merchantSecret456', '__proto__']) {
      expect(dump).not.toContain(key);
    }
    expect(budgets.size).toBe(3);
  });
});

describe('rate budgets per instance and per call key, over loopback HTTP', () => {
  let server: RecordingServer;
  let moduleRef: TestingModule;
  let merchantA: SecPaidService;
  let merchantB: SecPaidService;

  beforeAll(async () => {
    server = await startRecordingServer();
    const options = (apiKey: string): SecPaidModuleOptions => ({
      apiKey,
      environment: 'development',
      baseUrl: server.baseUrl,
      rateLimit: { requestsPerMinute: 2 },
    });
    moduleRef = await Test.createTestingModule({
      imports: [
        SecPaidModule.forRoot({ name: 'merchant-a', ...options('merchantAKey') }),
        SecPaidModule.forRoot({ name: 'merchant-b', ...options('merchantBKey') }),
      ],
    }).compile();
    merchantA = moduleRef.get(getSecPaidServiceToken('merchant-a'));
    merchantB = moduleRef.get(getSecPaidServiceToken('merchant-b'));
  });
  afterAll(async () => {
    await moduleRef?.close();
    await server?.close();
  });

  /** Starts a call that is expected to wait; it can be aborted, and says whether it settled. */
  function queued(call: (signal: AbortSignal) => Promise<unknown>) {
    const controller = new AbortController();
    let settled = false;
    const result = call(controller.signal).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    void result.finally(() => {
      settled = true;
    });
    return { abort: () => controller.abort(), result, settled: () => settled };
  }

  it("a full budget of one instance or one key never holds up another's", async () => {
    await merchantA.getMyUnusedLinks();
    await merchantA.getMyUnusedLinks();
    const waitingA = queued((signal) => merchantA.getMyUnusedLinks(undefined, { signal }));

    // B's budget is its own ...
    await merchantB.getMyUnusedLinks();
    await merchantB.getMyUnusedLinks();
    // ... and so is each per-call key's, even on A's instance.
    const perCall = { apiKey: 'platformMerchantKey' };
    await merchantA.getMyUsedLinks(undefined, perCall);
    await merchantA.getMyUsedLinks(undefined, perCall);
    const waitingKey = queued((signal) =>
      merchantA.getMyUsedLinks(undefined, { ...perCall, signal }),
    );
    await merchantA.getMyUsedLinks(undefined, { apiKey: 'anotherMerchantKey' });

    // A's own budget is still full: its queued call has not been sent.
    expect(waitingA.settled()).toBe(false);
    expect(waitingKey.settled()).toBe(false);
    const tokens = server.requests.map((r) => r.headers['token']);
    expect(tokens.filter((t) => t === 'merchantAKey')).toHaveLength(2);
    expect(tokens.filter((t) => t === 'merchantBKey')).toHaveLength(2);
    expect(tokens.filter((t) => t === 'platformMerchantKey')).toHaveLength(2);
    expect(tokens.filter((t) => t === 'anotherMerchantKey')).toHaveLength(1);

    waitingA.abort();
    waitingKey.abort();
    for (const outcome of [await waitingA.result, await waitingKey.result]) {
      expect(outcome).toBeInstanceOf(SecPaidConnectionError);
      expect((outcome as SecPaidConnectionError).code).toBe('ABORT_ERR');
    }
    expect(server.requests).toHaveLength(7);
  });
});
