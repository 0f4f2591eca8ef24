import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import diagnostics from 'node:diagnostics_channel';
import {
  SECPAID_DIAGNOSTICS_CHANNELS,
  SecPaidConnectionError,
  SecPaidRateLimitError,
} from '../../lib/index.js';
import type { SecPaidBudget } from '../../lib/http/budget/secpaid-budget.js';
import { SECPAID_BUDGET } from '../../lib/secpaid.constants.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  callsTo,
  createServiceHarness,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';
import { waitFor } from '../support/wait-for.js';

const LIMIT = 10;

describe('client-side rate limiter against the mock limit', () => {
  let mock: SecPaidMockServer;
  let apiKey: string;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: { requestsPerMinute: LIMIT } });
    apiKey = mock.accounts[0]!.apiKey;
  });
  afterAll(() => mock?.stop());
  beforeEach(() => mock.reset());

  const harnessWith = (
    rateLimit: { requestsPerMinute: number } | false,
    windowMs?: number,
  ): Promise<ServiceHarness> =>
    createServiceHarness(
      { apiKey, environment: 'development', baseUrl: mock.baseUrl, rateLimit, maxRetries: 0 },
      windowMs === undefined ? {} : { windowMs },
    );

  it('without it, a burst over the limit earns 429s (the mock enforces the limit)', async () => {
    const harness = await harnessWith(false);
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: LIMIT + 2 }, () => harness.service.getMyUnusedLinks()),
      );
      const refused = outcomes.filter(
        (o) => o.status === 'rejected' && o.reason instanceof SecPaidRateLimitError,
      );
      expect(refused).toHaveLength(2);
    } finally {
      await harness.close();
    }
  });

  it('with it, the burst is held: zero 429s, the call over the limit waits unsent and honours its signal', async () => {
    const harness = await harnessWith({ requestsPerMinute: LIMIT });
    try {
      const burst = await Promise.allSettled(
        Array.from({ length: LIMIT }, () => harness.service.getMyUnusedLinks()),
      );
      expect(burst.every((o) => o.status === 'fulfilled')).toBe(true);

      const controller = new AbortController();
      const queued = harness.service.createLink({ amount: 1 }, { signal: controller.signal });
      const budget = harness.get<SecPaidBudget>(SECPAID_BUDGET);
      await waitFor(() => budget.waiting === 1); // reached the budget, and waits there
      expect(mock.requests).toHaveLength(LIMIT); // held back, not sent
      controller.abort();
      const error = await rejectionOf(queued);
      expect(error).toBeInstanceOf(SecPaidConnectionError);
      expect(error).toMatchObject({
        code: 'ABORT_ERR',
        endpoint: 'createLink',
        requestMayHaveReachedServer: false,
      });
      expect(mock.requests).toHaveLength(LIMIT);
      expect(mock.links).toHaveLength(0);
    } finally {
      await harness.close();
    }
  });

  it('raw @InjectSecPaidHttpService() calls share the same budget', async () => {
    const harness = await harnessWith({ requestsPerMinute: 2 });
    const budget = harness.get<SecPaidBudget>(SECPAID_BUDGET);
    try {
      await harness.service.getMyUsedLinks();
      await harness.http.axiosRef.post('/api/v2/getMyUnusedLinks', {});
      const controller = new AbortController();
      const queued = harness.http.axiosRef.post(
        '/api/v2/getTaxInvoiceList',
        {},
        { signal: controller.signal },
      );
      await waitFor(() => budget.waiting === 1);
      expect(mock.requests).toHaveLength(2);
      controller.abort();
      await expect(queued).rejects.toMatchObject({ code: 'ABORT_ERR' });
    } finally {
      await harness.close();
    }
  });

  it('a queued call starts its timeout only when it is sent', async () => {
    // 2 per 2 s: the third call waits about 2 s in the queue, twice its 1 s timeout. Once sent,
    // the loopback mock has that whole second to answer: a margin a busy machine does not eat.
    const harness = await harnessWith({ requestsPerMinute: 2 }, 2000);
    try {
      await Promise.all([harness.service.getMyUsedLinks(), harness.service.getMyUsedLinks()]);
      const third = harness.service.getMyUsedLinks({}, { timeoutMs: 1000 });
      await expect(third).resolves.toEqual([]);
      expect(callsTo(mock.requests, 'getMyUsedLinks')).toHaveLength(3);
    } finally {
      await harness.close();
    }
  });

  it('queued calls are released in order as the window slides, still with zero 429s', async () => {
    // 7 calls, 3 per window: 4 must queue. Counting them makes the test fail without a budget
    // (the mock's own limit of 10 would never refuse 7 calls).
    const harness = await harnessWith({ requestsPerMinute: 3 }, 1000);
    let queued = 0;
    const onWait = (): void => {
      queued++;
    };
    diagnostics.subscribe(SECPAID_DIAGNOSTICS_CHANNELS.limiterWait, onWait);
    try {
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          harness.service.getMyUnusedLinks({ search: String(i) }).then(() => order.push(i)),
        ),
      );
      expect(
        callsTo(mock.requests, 'getMyUnusedLinks').map(
          (r) => (r.body as { search: string }).search,
        ),
      ).toEqual(['0', '1', '2', '3', '4', '5', '6']);
      expect(order).toHaveLength(7);
      expect(queued).toBe(4);
    } finally {
      diagnostics.unsubscribe(SECPAID_DIAGNOSTICS_CHANNELS.limiterWait, onWait);
      await harness.close();
    }
  });

  it('the limiter is per module instance', async () => {
    const first = await harnessWith({ requestsPerMinute: 1 });
    const second = await harnessWith({ requestsPerMinute: 1 });
    try {
      await first.service.getMyUsedLinks();
      await second.service.getMyUsedLinks();
      expect(callsTo(mock.requests, 'getMyUsedLinks')).toHaveLength(2);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
