import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';
import {
  SecPaidConnectionError,
  SecPaidRateLimitError,
  SecPaidServerError,
  SecPaidTimeoutError,
  SecPaidUnexpectedResponseError,
  type SecPaidService,
} from '../../lib/index.js';
import { SecPaidRetryPolicy } from '../../lib/http/retry.policy.js';
import { SecPaidMockServer, type MockFault } from '../../lib/testing/index.js';
import { unusedPort } from '../support/loopback-server.js';
import { startLossyProxy, type LossMode } from '../support/lossy-proxy.js';
import {
  callsTo,
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

const TIMEOUT_MS = 150;
type ErrorClass = abstract new (...args: never[]) => Error;

/** One call per endpoint of each safety class, with inputs the mock accepts. */
const CALLS: Record<string, (service: SecPaidService) => Promise<unknown>> = {
  getPayInTransactions: (s) => s.getPayInTransactions({ limit: 1 }),
  getMyUnusedLinks: (s) => s.getMyUnusedLinks(),
  createLink: (s) => s.createLink({ amount: 10 }),
  createSplitLink: (s) =>
    s.createSplitLink({ amount: 10, recipients: [{ token: 'partner-a', share: 10 }] }),
  refundPayment: (s) => s.refundPayment({ payId: 1, refundAmount: 1 }),
  deleteLink: (s) => s.deleteLink(1),
};
const READS = ['getPayInTransactions', 'getMyUnusedLinks'];
const WRITES = ['createLink', 'createSplitLink', 'refundPayment', 'deleteLink'];

interface FaultCase {
  name: string;
  fault: Omit<MockFault, 'endpoint'>;
  /** Attempts for read endpoints / write endpoints (maxRetries 2). */
  readAttempts: number;
  writeAttempts: number;
  /** What the read call ends with (`undefined` = success); writes end with `writeError`. */
  readError?: ErrorClass;
  writeError?: ErrorClass;
}

const HTML_502 = '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>';

const FAULTS: FaultCase[] = [
  {
    name: '500',
    fault: { status: 500, times: 5 },
    readAttempts: 3,
    writeAttempts: 1,
    readError: SecPaidServerError,
    writeError: SecPaidServerError,
  },
  {
    name: '502 with an HTML body',
    fault: { status: 502, body: HTML_502, headers: { 'content-type': 'text/html' }, times: 5 },
    readAttempts: 3,
    writeAttempts: 1,
    readError: SecPaidServerError,
    writeError: SecPaidServerError,
  },
  {
    name: '503 + Retry-After once',
    fault: { status: 503, headers: { 'Retry-After': '1' }, times: 1 },
    readAttempts: 2,
    writeAttempts: 1,
    writeError: SecPaidServerError,
  },
  {
    name: '429 + Retry-After once',
    fault: { status: 429, headers: { 'Retry-After': '1' }, times: 1 },
    readAttempts: 2,
    writeAttempts: 2,
  },
  {
    name: '429 every time',
    fault: { status: 429, headers: { 'Retry-After': '2' }, times: 5 },
    readAttempts: 3,
    writeAttempts: 3,
    readError: SecPaidRateLimitError,
    writeError: SecPaidRateLimitError,
  },
  {
    name: 'malformed JSON with HTTP 200',
    fault: { status: 200, body: '{"ResponseCode": 1, "Result": "True", "data": {', times: 5 },
    readAttempts: 1,
    writeAttempts: 1,
    readError: SecPaidUnexpectedResponseError,
    writeError: SecPaidUnexpectedResponseError,
  },
  {
    name: 'JSON without the envelope',
    fault: { status: 200, body: { ok: true }, times: 5 },
    readAttempts: 1,
    writeAttempts: 1,
    readError: SecPaidUnexpectedResponseError,
    writeError: SecPaidUnexpectedResponseError,
  },
  {
    name: 'hang (per-attempt timeout)',
    fault: { drop: 'hang', times: 5 },
    readAttempts: 3,
    writeAttempts: 1,
    readError: SecPaidTimeoutError,
    writeError: SecPaidTimeoutError,
  },
  {
    name: 'connection reset',
    fault: { drop: 'reset', times: 5 },
    readAttempts: 3,
    writeAttempts: 1,
    readError: SecPaidConnectionError,
    writeError: SecPaidConnectionError,
  },
];

describe('faults by safety class (maxRetries 2, attempts counted in the mock request log)', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  let apiKey: string;
  const seenErrors: unknown[] = [];

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false, recipientTokens: ['partner-a'] });
    apiKey = mock.accounts[0]!.apiKey;
    harness = await createServiceHarness(
      devOptions(apiKey, mock.baseUrl, { timeoutMs: TIMEOUT_MS }),
    );
  });
  afterAll(async () => {
    await harness?.close();
    await mock?.stop();
  });
  beforeEach(() => mock.reset());

  async function run(endpoint: string): Promise<unknown> {
    try {
      return await CALLS[endpoint]!(harness.service);
    } catch (error) {
      seenErrors.push(error);
      return error;
    }
  }

  describe.each(FAULTS)('$name', (fault) => {
    it.each(READS)('read %s', async (endpoint) => {
      mock.injectFault({ endpoint, ...fault.fault });
      const outcome = await run(endpoint);
      expect(callsTo(mock.requests, endpoint)).toHaveLength(fault.readAttempts);
      if (fault.readError) {
        expect(outcome).toBeInstanceOf(fault.readError);
        expect(outcome).toMatchObject({ endpoint });
      } else {
        expect(outcome).not.toBeInstanceOf(Error);
      }
    });

    it.each(WRITES)('write %s', async (endpoint) => {
      mock.injectFault({ endpoint, ...fault.fault });
      const outcome = await run(endpoint);
      expect(callsTo(mock.requests, endpoint)).toHaveLength(fault.writeAttempts);
      if (fault.writeError) {
        expect(outcome).toBeInstanceOf(fault.writeError);
        expect(outcome).toMatchObject({ endpoint });
      }
      // A write is never duplicated: at most one link exists, whatever happened.
      expect(mock.links.length).toBeLessThanOrEqual(1);
    });
  });

  it('a 429 that persists carries retryAfterMs from Retry-After', async () => {
    mock.injectFault({
      endpoint: 'createLink',
      status: 429,
      headers: { 'Retry-After': '7' },
      times: 5,
    });
    const error = await rejectionOf(harness.service.createLink({ amount: 1 }));
    seenErrors.push(error);
    expect(error).toBeInstanceOf(SecPaidRateLimitError);
    expect((error as SecPaidRateLimitError).retryAfterMs).toBe(7000);
    // Every attempt was refused before the mock processed it: nothing was created.
    expect(mock.links).toHaveLength(0);
  });

  it('a 503 that persists carries retryAfterMs from Retry-After (read once, used for the backoff)', async () => {
    mock.injectFault({
      endpoint: 'getTaxInvoiceList',
      status: 503,
      headers: { 'Retry-After': '9' },
      times: 10,
    });
    const error = await rejectionOf(harness.service.getTaxInvoiceList());
    seenErrors.push(error);
    expect(error).toBeInstanceOf(SecPaidServerError);
    expect((error as SecPaidServerError).retryAfterMs).toBe(9000);
  });

  it('429 then success creates exactly one link', async () => {
    mock.injectFault({ endpoint: 'createLink', status: 429, times: 1 });
    const link = await harness.service.createLink({ amount: 4 });
    expect(mock.links.map((l) => l.id)).toEqual([link.id]);
    expect(callsTo(mock.requests, 'createLink')).toHaveLength(2);
  });

  describe('maxRetries is respected', () => {
    it.each([0, 4])('maxRetries %i', async (maxRetries) => {
      const custom = await createServiceHarness(devOptions(apiKey, mock.baseUrl, { maxRetries }));
      try {
        mock.injectFault({ endpoint: 'getMyUsedLinks', status: 500, times: 10 });
        const error = await rejectionOf(custom.service.getMyUsedLinks());
        seenErrors.push(error);
        expect(error).toBeInstanceOf(SecPaidServerError);
        expect(callsTo(mock.requests, 'getMyUsedLinks')).toHaveLength(maxRetries + 1);
      } finally {
        await custom.close();
      }
    });
  });

  describe('the request reached SecPaid but the answer was lost: creates are not replayed', () => {
    it.each<[LossMode, ErrorClass]>([
      ['hang', SecPaidTimeoutError],
      ['reset', SecPaidConnectionError],
      ['bad-gateway', SecPaidServerError],
    ])('%s after createLink was processed -> exactly one link', async (mode, errorClass) => {
      const proxy = await startLossyProxy(mock.baseUrl, mode);
      const viaProxy = await createServiceHarness(
        devOptions(apiKey, proxy.baseUrl, { timeoutMs: TIMEOUT_MS }),
      );
      try {
        const error = await rejectionOf(viaProxy.service.createLink({ amount: 9.99 }));
        seenErrors.push(error);
        expect(error).toBeInstanceOf(errorClass);
        expect(callsTo(mock.requests, 'createLink')).toHaveLength(1);
        expect(mock.links).toHaveLength(1);
        expect(proxy.forwarded).toBe(1);

        // The same loss on a read is retried (maxRetries 2 -> 3 attempts).
        const readError = await rejectionOf(viaProxy.service.getMyUnusedLinks());
        seenErrors.push(readError);
        expect(callsTo(mock.requests, 'getMyUnusedLinks')).toHaveLength(3);
      } finally {
        await viaProxy.close();
        await proxy.close();
      }
    });

    it('refundPayment after a lost answer is not replayed: one refund request', async () => {
      const link = await harness.service.createLink({ amount: 20 });
      await mock.pay(link.id, { sendWebhooks: false });
      const proxy = await startLossyProxy(mock.baseUrl, 'reset');
      const viaProxy = await createServiceHarness(devOptions(apiKey, proxy.baseUrl));
      try {
        const error = await rejectionOf(
          viaProxy.service.refundPayment({ payId: link.id, refundAmount: 5 }),
        );
        seenErrors.push(error);
        expect(error).toBeInstanceOf(SecPaidConnectionError);
        expect((error as SecPaidConnectionError).requestMayHaveReachedServer).toBe(true);
        expect(mock.refunds).toHaveLength(1);
      } finally {
        await viaProxy.close();
        await proxy.close();
      }
    });
  });

  it('connection refused (nothing sent) is retried even for createLink', async () => {
    const port = await unusedPort();
    const refused = await createServiceHarness(devOptions(apiKey, `http://127.0.0.1:${port}`));
    let attempts = 0;
    refused.http.axiosRef.interceptors.request.use((config) => {
      attempts++;
      return config;
    });
    try {
      const error = await rejectionOf(refused.service.createLink({ amount: 1 }));
      seenErrors.push(error);
      expect(error).toBeInstanceOf(SecPaidConnectionError);
      expect(error).toMatchObject({ code: 'ECONNREFUSED', requestMayHaveReachedServer: false });
      expect(attempts).toBe(3);
    } finally {
      await refused.close();
    }
  });

  describe('abort', () => {
    it('cancels the in-flight request: ABORT_ERR, one attempt, no retry', async () => {
      mock.injectFault({ endpoint: 'getMyUnusedLinks', drop: 'hang', times: 5 });
      const controller = new AbortController();
      const pending = harness.service.getMyUnusedLinks(
        {},
        { signal: controller.signal, timeoutMs: 10_000 },
      );
      while (callsTo(mock.requests, 'getMyUnusedLinks').length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      controller.abort();
      const error = await rejectionOf(pending);
      seenErrors.push(error);
      expect(error).toBeInstanceOf(SecPaidConnectionError);
      expect(error).not.toBeInstanceOf(SecPaidTimeoutError);
      expect(error).toMatchObject({ code: 'ABORT_ERR', endpoint: 'getMyUnusedLinks' });
      expect(callsTo(mock.requests, 'getMyUnusedLinks')).toHaveLength(1);
    });

    it('an already aborted signal sends nothing', async () => {
      const error = await rejectionOf(
        harness.service.createLink({ amount: 1 }, { signal: AbortSignal.abort() }),
      );
      expect(error).toMatchObject({ code: 'ABORT_ERR' });
      expect(mock.requests).toHaveLength(0);
    });

    it('aborting during the backoff wait stops the retries', async () => {
      const slow = await createServiceHarness(
        { apiKey, environment: 'development', baseUrl: mock.baseUrl, rateLimit: false },
        { retryPolicy: new SecPaidRetryPolicy({ baseDelayMs: 60_000, random: () => 0.99 }) },
      );
      try {
        mock.injectFault({ endpoint: 'getMyUsedLinks', status: 500, times: 5 });
        const controller = new AbortController();
        const pending = slow.service.getMyUsedLinks({}, { signal: controller.signal });
        while (callsTo(mock.requests, 'getMyUsedLinks').length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.abort();
        const error = await rejectionOf(pending);
        expect(error).toMatchObject({ code: 'ABORT_ERR' });
        expect(callsTo(mock.requests, 'getMyUsedLinks')).toHaveLength(1);
      } finally {
        await slow.close();
      }
    });
  });

  it('logs one debug line per attempt, one warn line per retry, and never the key', async () => {
    const lines: { level: string; text: string }[] = [];
    const at = (level: string) => (m: unknown) => lines.push({ level, text: String(m) });
    const capture: LoggerService = {
      log: at('log'),
      error: at('error'),
      warn: at('warn'),
      debug: at('debug'),
      verbose: at('verbose'),
    };
    Logger.overrideLogger(capture);
    try {
      mock.injectFault({ endpoint: 'getTaxInvoiceList', status: 502, times: 1 });
      await harness.service.getTaxInvoiceList({}, { apiKey });
      mock.injectFault({ endpoint: 'getTaxInvoiceList', drop: 'reset', times: 1 });
      await harness.service.getTaxInvoiceList();
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    const ours = (level: string) =>
      lines
        .filter((line) => line.level === level && line.text.startsWith('getTaxInvoiceList attempt'))
        .map((line) => line.text);
    expect(ours('debug')).toEqual([
      expect.stringMatching(/^getTaxInvoiceList attempt 1: HTTP 502 in \d+ ms$/),
      expect.stringMatching(/^getTaxInvoiceList attempt 2: HTTP 200 in \d+ ms$/),
      expect.stringMatching(
        /^getTaxInvoiceList attempt 1: SecPaidConnectionError \(ECONNRESET\) after \d+ ms$/,
      ),
      expect.stringMatching(/^getTaxInvoiceList attempt 2: HTTP 200 in \d+ ms$/),
    ]);
    expect(ours('warn')).toEqual([
      expect.stringMatching(
        /^getTaxInvoiceList attempt 1 failed: SecPaidServerError \(HTTP 502\); retry 1 of 2 in \d+ ms$/,
      ),
      expect.stringMatching(
        /^getTaxInvoiceList attempt 1 failed: SecPaidConnectionError \(ECONNRESET\); retry 1 of 2 in \d+ ms$/,
      ),
    ]);
    expect(lines.map((line) => line.text).join('\n')).not.toContain(apiKey);
  });

  it('no error seen in this file contains the API key (message, stack, cause, JSON, inspect)', () => {
    expect(seenErrors.length).toBeGreaterThan(40);
    for (const error of seenErrors) {
      const views = [
        String(error),
        (error as Error).stack ?? '',
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
      ];
      for (const view of views) expect(view).not.toContain(apiKey);
    }
  });
});
