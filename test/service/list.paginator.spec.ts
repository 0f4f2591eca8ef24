import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import {
  SECPAID_DIAGNOSTICS_CHANNELS,
  SecPaidConnectionError,
  SecPaidValidationError,
  type SecPaidPaginator,
} from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  callsTo,
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

/** More than three pages of 10 of everything; 35 leaves a short last page. */
const RECORDS = 35;
const PAGE = 10;

describe('SecPaidService pagination against the mock', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    harness = await createServiceHarness(devOptions(mock.accounts[0]!.apiKey, mock.baseUrl));
    const { service } = harness;
    for (let i = 0; i < RECORDS * 2; i++) {
      const link = await service.createLink({ amount: 10 + i, note: `Order ${i}` });
      if (i % 2 === 0) await mock.pay(link.id, { sendWebhooks: false });
    }
    for (let i = 0; i < RECORDS; i++) {
      mock.seedPayout({ createdAt: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000) });
      mock.seedTaxInvoice({ createdAt: new Date(Date.UTC(2023, 0, 1) + i * 31 * 86_400_000) });
    }
  });

  beforeEach(() => {
    mock.requests.length = 0;
  });

  afterAll(async () => {
    await harness.close();
    await mock.stop();
  });

  /** Collects a paginator and counts the requests it made. */
  async function walk<T>(
    paginator: SecPaidPaginator<T>,
    endpoint: string,
  ): Promise<{ items: T[]; requests: number }> {
    const items: T[] = [];
    for await (const item of paginator) items.push(item);
    return { items, requests: callsTo(mock.requests, endpoint).length };
  }

  it('walks pay-ins page by page, stopping at totalRecords (4 requests for 35)', async () => {
    const { service } = harness;
    const everything = await service.getPayInTransactions({ limit: 1000 });
    expect(everything.items).toHaveLength(RECORDS);
    mock.requests.length = 0;

    const { items, requests } = await walk(
      service.paginatePayInTransactions({ limit: PAGE }),
      'getPayInTransactions',
    );
    expect(items.map((p) => p.payId)).toEqual(everything.items.map((p) => p.payId));
    expect(new Set(items.map((p) => p.payId)).size).toBe(RECORDS);
    expect(requests).toBe(4);
    const pages = callsTo(mock.requests, 'getPayInTransactions').map((r) => r.body);
    expect(pages).toEqual([1, 2, 3, 4].map((page) => ({ page, limit: PAGE })));
  });

  it('walks payouts (no totalRecords) until a short page', async () => {
    const { service } = harness;
    const everything = await service.getPayOutTransactions({ limit: 1000 });
    mock.requests.length = 0;
    const { items, requests } = await walk(
      service.paginatePayOutTransactions({ limit: PAGE }),
      'getPayOutTransactions',
    );
    expect(items).toHaveLength(RECORDS);
    expect(items.map((p) => p.payoutId)).toEqual(everything.items.map((p) => p.payoutId));
    expect(new Set(items.map((p) => p.payoutId)).size).toBe(RECORDS);
    expect(requests).toBe(4);
  });

  it('asks once more when a list without totalRecords ends on a full page', async () => {
    const { items, requests } = await walk(
      harness.service.paginatePayOutTransactions({ limit: 7 }),
      'getPayOutTransactions',
    );
    expect(items).toHaveLength(RECORDS);
    expect(requests).toBe(6); // 5 full pages of 7, then an empty one
  });

  it('walks tax invoices, stopping at totalRecords', async () => {
    const { service } = harness;
    const everything = await service.getTaxInvoiceList({ limit: 1000 });
    mock.requests.length = 0;
    const { items, requests } = await walk(
      service.paginateTaxInvoices({ limit: PAGE }),
      'getTaxInvoiceList',
    );
    expect(items.map((i) => i.invoiceId)).toEqual(everything.items.map((i) => i.invoiceId));
    expect(new Set(items.map((i) => i.invoiceId)).size).toBe(RECORDS);
    expect(requests).toBe(4);
  });

  it('starts at the query page', async () => {
    const { items, requests } = await walk(
      harness.service.paginateTaxInvoices({ page: 3, limit: PAGE }),
      'getTaxInvoiceList',
    );
    expect(items).toHaveLength(RECORDS - 2 * PAGE);
    expect(requests).toBe(2);
  });

  it('lists links (no page documented) with one request of up to 1000', async () => {
    const { service } = harness;
    const unused = await walk(service.paginateUnusedLinks(), 'getMyUnusedLinks');
    const used = await walk(service.paginateUsedLinks(), 'getMyUsedLinks');
    expect(unused.items).toHaveLength(RECORDS);
    expect(used.items).toHaveLength(RECORDS);
    const ids = [...unused.items, ...used.items].map((link) => link.id);
    expect(new Set(ids).size).toBe(RECORDS * 2);
    expect([unused.requests, used.requests]).toEqual([1, 1]);
    expect(callsTo(mock.requests, 'getMyUnusedLinks')[0]!.body).toEqual({ limit: 1000 });
  });

  it('the mock ignores page on the link lists, as SecPaid documents none', async () => {
    const first = await harness.http.axiosRef.post('/api/v2/getMyUnusedLinks', { limit: PAGE });
    const second = await harness.http.axiosRef.post('/api/v2/getMyUnusedLinks', {
      limit: PAGE,
      page: 2,
    });
    expect(second.data.data).toEqual(first.data.data);
  });

  it('fetches nothing until iterated, and only the pages a consumer reads', async () => {
    const paginator = harness.service.paginatePayInTransactions({ limit: PAGE });
    expect(callsTo(mock.requests, 'getPayInTransactions')).toHaveLength(0);
    for await (const payIn of paginator) {
      expect(payIn.payId).toBeGreaterThan(0);
      break;
    }
    expect(callsTo(mock.requests, 'getPayInTransactions')).toHaveLength(1);
  });

  it('toArray stops at its limit and sizes pages by it when the query gives none', async () => {
    const { service } = harness;
    const first = await service.paginatePayInTransactions().toArray({ limit: 15 });
    expect(first).toHaveLength(15);
    expect(callsTo(mock.requests, 'getPayInTransactions').map((r) => r.body)).toEqual([
      { page: 1, limit: 15 },
    ]);
    mock.requests.length = 0;
    const paged = await service.paginatePayInTransactions({ limit: PAGE }).toArray({ limit: 25 });
    expect(paged.map((p) => p.payId)).toEqual(first.concat(paged.slice(15)).map((p) => p.payId));
    expect(callsTo(mock.requests, 'getPayInTransactions')).toHaveLength(3);
  });

  it('toArray demands a positive integer limit, before any request', async () => {
    const paginator = harness.service.paginatePayOutTransactions();
    for (const bad of [undefined, 0, -1, 1.5, Number.POSITIVE_INFINITY, '10']) {
      const error = await rejectionOf(paginator.toArray({ limit: bad as number }));
      expect(error).toBeInstanceOf(SecPaidValidationError);
    }
    const missing = await rejectionOf(paginator.toArray(undefined as unknown as { limit: number }));
    expect(missing).toBeInstanceOf(SecPaidValidationError);
    expect(mock.requests).toHaveLength(0);
  });

  it('rejects a bad query when the paginator is made, before any request', () => {
    expect(() => harness.service.paginatePayInTransactions({ limit: 5000 })).toThrow(
      SecPaidValidationError,
    );
    expect(() =>
      harness.service.paginateTaxInvoices({ date: '2026-13' } as { date: string }),
    ).toThrow(SecPaidValidationError);
    expect(mock.requests).toHaveLength(0);
  });

  it('stops with ABORT_ERR when the signal aborts between items, fetching no further page', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await rejectionOf(
      (async () => {
        const paginator = harness.service.paginatePayInTransactions(
          { limit: PAGE },
          { signal: controller.signal },
        );
        for await (const payIn of paginator) {
          seen.push(payIn.payId);
          if (seen.length === 15) controller.abort();
        }
      })(),
    );
    expect(error).toBeInstanceOf(SecPaidConnectionError);
    expect((error as SecPaidConnectionError).code).toBe('ABORT_ERR');
    expect(seen).toHaveLength(15);
    expect(callsTo(mock.requests, 'getPayInTransactions')).toHaveLength(2);
  });

  it('stops with ABORT_ERR while a page is in flight', async () => {
    const controller = new AbortController();
    mock.injectFault({ endpoint: 'getTaxInvoiceList', delayMs: 5_000 });
    const paginator = harness.service.paginateTaxInvoices(
      { limit: PAGE },
      { signal: controller.signal },
    );
    const pending = paginator.toArray({ limit: 100 });
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(pending);
    expect((error as SecPaidConnectionError).code).toBe('ABORT_ERR');
  });

  it('walks afresh on every for await', async () => {
    const paginator = harness.service.paginateTaxInvoices({ limit: 20 });
    const once = await paginator.toArray({ limit: 100 });
    const twice = await paginator.toArray({ limit: 100 });
    expect(twice).toHaveLength(RECORDS);
    expect(twice.map((i) => i.invoiceId)).toEqual(once.map((i) => i.invoiceId));
  });

  it('fetches every page through the module rate limiter', async () => {
    const waits: unknown[] = [];
    const onWait = (message: unknown) => waits.push(message);
    diagnostics.subscribe(SECPAID_DIAGNOSTICS_CHANNELS.limiterWait, onWait);
    const limited = await createServiceHarness(
      devOptions(mock.accounts[0]!.apiKey, mock.baseUrl, { rateLimit: { requestsPerMinute: 1 } }),
      // One request per 400 ms: a page asked for sooner waits for its slot.
      { windowMs: 400 },
    );
    try {
      const items = await limited.service
        .paginateTaxInvoices({ limit: PAGE })
        .toArray({ limit: 100 });
      expect(items).toHaveLength(RECORDS);
    } finally {
      diagnostics.unsubscribe(SECPAID_DIAGNOSTICS_CHANNELS.limiterWait, onWait);
      await limited.close();
    }
    expect(callsTo(mock.requests, 'getTaxInvoiceList')).toHaveLength(4);
    // A page is requested the moment the previous one is read: pages 2-4 find the slot taken.
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits).toContainEqual(
      expect.objectContaining({ operation: 'getTaxInvoiceList', waitMs: expect.any(Number) }),
    );
  });
});

describe("link lists at SecPaid's maximum", () => {
  it('warns once when 1000 links come back (there may be more), not for a smaller limit', async () => {
    const mock = await SecPaidMockServer.start({ rateLimit: false });
    const harness = await createServiceHarness(devOptions(mock.accounts[0]!.apiKey, mock.baseUrl));
    const warnings: string[] = [];
    const capture: LoggerService = {
      log: () => undefined,
      error: () => undefined,
      warn: (message: unknown) => warnings.push(String(message)),
    };
    try {
      for (let batch = 0; batch < 21; batch++) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            harness.service.createLink({ amount: 1, note: `Bulk ${batch * 50 + i}` }),
          ),
        );
      }
      Logger.overrideLogger(capture);
      const few = await harness.service.paginateUnusedLinks().toArray({ limit: 5 });
      const ten = await harness.service.paginateUnusedLinks({ limit: 10 }).toArray({ limit: 50 });
      expect([few.length, ten.length, warnings]).toEqual([5, 10, []]);
      const all = await harness.service.paginateUnusedLinks().toArray({ limit: 5000 });
      expect(all).toHaveLength(1000);
      expect(warnings).toEqual([
        expect.stringContaining('paginateUnusedLinks: SecPaid returned its maximum of 1000 links'),
      ]);
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
      await harness.close();
      await mock.stop();
    }
    // 1050 creates first: generous for a loaded machine (no timing is asserted).
  }, 120_000);
});
