import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidRateLimitError } from '../../lib/index.js';
import { SecPaidRetryPolicy } from '../../lib/http/retry.policy.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  callsTo,
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

/**
 * README: "`Retry-After` honoured up to 30 s". The module's own retry policy (default cap, real
 * backoff) is kept; only its wait is replaced by a recorder, so the spec sees every wait the
 * retry loop asks for and never sleeps: no timing assertion.
 */
describe('the retry loop waits as long as Retry-After says, capped at 30 s', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  const waits: number[] = [];

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    const recording = new SecPaidRetryPolicy({
      // Backoff without a header would be at most 500 ms (first retry) with this jitter source:
      // a wait taken from the header cannot be mistaken for it.
      random: () => 0.5,
      wait: async (ms) => {
        waits.push(ms);
      },
    });
    harness = await createServiceHarness(devOptions(mock.accounts[0]!.apiKey, mock.baseUrl), {
      retryPolicy: recording,
    });
  });
  afterAll(async () => {
    await harness?.close();
    await mock?.stop();
  });
  beforeEach(() => {
    mock.reset();
    waits.length = 0;
  });

  it('a 429 with Retry-After: 7 is retried after 7000 ms (a write too: nothing was processed)', async () => {
    mock.injectFault({ endpoint: 'createLink', status: 429, headers: { 'Retry-After': '7' } });
    const link = await harness.service.createLink({ amount: 3 });
    expect(waits).toEqual([7000]);
    expect(callsTo(mock.requests, 'createLink')).toHaveLength(2);
    expect(mock.links.map((l) => l.id)).toEqual([link.id]);
  });

  it('a 503 with Retry-After on a read waits what the header says', async () => {
    mock.injectFault({ endpoint: 'getMyUsedLinks', status: 503, headers: { 'Retry-After': '12' } });
    await harness.service.getMyUsedLinks();
    expect(waits).toEqual([12_000]);
  });

  it('an HTTP-date Retry-After is honoured too (within a second of the date)', async () => {
    const at = new Date(Date.now() + 20_000).toUTCString();
    mock.injectFault({ endpoint: 'getMyUsedLinks', status: 429, headers: { 'Retry-After': at } });
    await harness.service.getMyUsedLinks();
    expect(waits).toHaveLength(1);
    // The date has whole seconds and is read a little after it was written (slack for load).
    expect(waits[0]).toBeGreaterThan(10_000);
    expect(waits[0]).toBeLessThanOrEqual(20_000);
  });

  it('a longer Retry-After is cut to 30 s, every time it is sent', async () => {
    mock.injectFault({
      endpoint: 'getTaxInvoiceList',
      status: 429,
      headers: { 'Retry-After': '3600' },
      times: 5,
    });
    const error = await rejectionOf(harness.service.getTaxInvoiceList());
    expect(error).toBeInstanceOf(SecPaidRateLimitError);
    expect((error as SecPaidRateLimitError).retryAfterMs).toBe(3_600_000);
    expect(waits).toEqual([30_000, 30_000]); // maxRetries 2: two waits, three attempts
    expect(callsTo(mock.requests, 'getTaxInvoiceList')).toHaveLength(3);
  });

  it('without Retry-After the wait is the jittered backoff, not a header value', async () => {
    mock.injectFault({ endpoint: 'getMyUsedLinks', status: 503, times: 2 });
    await harness.service.getMyUsedLinks();
    expect(waits).toEqual([250, 500]); // 0.5 x 500 ms, 0.5 x 1000 ms
  });
});
