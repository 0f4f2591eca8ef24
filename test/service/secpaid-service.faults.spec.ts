import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import {
  SecPaidConnectionError,
  SecPaidRateLimitError,
  SecPaidServerError,
  SecPaidTimeoutError,
  SecPaidUnexpectedResponseError,
  type SecPaidService,
} from '../../lib/index.js';
import { abortableDelay } from '../../lib/core/abort.util.js';
import { SecPaidRetryPolicy } from '../../lib/http/retry.policy.js';
import { SecPaidMockServer, type MockFault } from '../../lib/testing/index.js';
import { unusedPort } from '../support/loopback-server.js';
import { startLossyProxy, type LossMode } from '../support/lossy-proxy.js';
import { waitFor } from '../support/wait-for.js';
import {
  callsTo,
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

/**
 * Per-attempt timeout where a hang is the fault under test (a hang always times out). Long enough
 * for a loaded machine to deliver the request to the mock before the attempt ends: the spec
 * counts attempts in the mock's request log (150 ms lost one under load in a compat run).
 */
const HANG_TIMEOUT_MS = 1000;
type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * One call per endpoint of each safety class, with inputs the mock accepts: `target` is a link
 * made for the call beforehand (unused for deleteLink, paid for refundPayment), so that a call
 * that gets through succeeds.
 */
const CALLS: Record<string, (service: SecPaidService, target: number) => Promise<unknown>> = {
  getPayInTransactions: (s) => s.getPayInTransactions({ limit: 1 }),
  getMyUnusedLinks: (s) => s.getMyUnusedLinks(),
  createLink: (s) => s.createLink({ amount: 10 }),
  createSplitLink: (s) =>
    s.createSplitLink({ amount: 10, recipients: [{ token: 'partner-a', share: 10 }] }),
  refundPayment: (s, payId) => s.refundPayment({ payId, refundAmount: 1 }),
  deleteLink: (s, linkId) => s.deleteLink(linkId),
};
const READS = ['getPayInTransactions', 'getMyUnusedLinks'];
const WRITES = ['createLink', 'createSplitLink', 'refundPayment', 'deleteLink'];

interface FaultCase {
  name: string;
  fault: Omit<MockFault, 'endpoint'>;
  /** Attempts for read endpoints / write endpoints (maxRetries 2). */
  readAttempts: number;
  writeAttempts: number;
  /** What the call ends with (`undefined` = success). */
  readError?: ErrorClass;
  writeError?: ErrorClass;
  /** The fault is a hang: attempts need a short timeout to end. */
  hang?: true;
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
    hang: true,
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
  /** Calls that should succeed get the default timeout: a busy machine must not fail them. */
  let harness: ServiceHarness;
  let hangHarness: ServiceHarness;
  let apiKey: string;
  const seenErrors: unknown[] = [];

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false, recipientTokens: ['partner-a'] });
    apiKey = mock.accounts[0]!.apiKey;
    harness = await createServiceHarness(devOptions(apiKey, mock.baseUrl));
    hangHarness = await createServiceHarness(
      devOptions(apiKey, mock.baseUrl, { timeoutMs: HANG_TIMEOUT_MS }),
    );
  });
  afterAll(async () => {
    await harness?.close();
    await hangHarness?.close();
    await mock?.stop();
  });
  beforeEach(() => mock.reset());
  // Every test checks its own errors, so each passes (and proves this) when run alone.
  afterEach(() => {
    for (const error of seenErrors.splice(0)) {
      const views = [
        String(error),
        (error as Error).stack ?? '',
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
      ];
      for (const view of views) expect(view).not.toContain(apiKey);
    }
  });

  /** A link for deleteLink (unused) or refundPayment (paid), made before the fault is set. */
  async function targetFor(endpoint: string): Promise<number> {
    if (endpoint !== 'deleteLink' && endpoint !== 'refundPayment') return 0;
    const link = await harness.service.createLink({ amount: 20 });
    if (endpoint === 'refundPayment') await mock.pay(link.id, { sendWebhooks: false });
    return link.id;
  }

  async function run(endpoint: string, fault: FaultCase, target: number): Promise<unknown> {
    try {
      return await CALLS[endpoint]!(fault.hang ? hangHarness.service : harness.service, target);
    } catch (error) {
      seenErrors.push(error);
      return error;
    }
  }

  describe.each(FAULTS)('$name', (fault) => {
    it.each(READS)('read %s', async (endpoint) => {
      mock.injectFault({ endpoint, ...fault.fault });
      const outcome = await run(endpoint, fault, 0);
      expect(callsTo(mock.requests, endpoint)).toHaveLength(fault.readAttempts);
      if (fault.readError) {
        expect(outcome).toBeInstanceOf(fault.readError);
        expect(outcome).toMatchObject({ endpoint });
      } else {
        expect(outcome).not.toBeInstanceOf(Error);
      }
    });

    it.each(WRITES)('write %s', async (endpoint) => {
      const target = await targetFor(endpoint);
      const linksBefore = mock.links.length;
      mock.injectFault({ endpoint, ...fault.fault });
      const outcome = await run(endpoint, fault, target);
      expect(callsTo(mock.requests, endpoint)).toHaveLength(fault.writeAttempts);
      if (fault.writeError) {
        expect(outcome).toBeInstanceOf(fault.writeError);
        expect(outcome).toMatchObject({ endpoint });
      } else {
        expect(outcome).not.toBeInstanceOf(Error);
      }
      // A write is never duplicated: at most one new link or refund, whatever happened.
      expect(mock.links.length - linksBefore).toBeLessThanOrEqual(1);
      expect(mock.refunds.length).toBeLessThanOrEqual(1);
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
      // Only a hang needs the short timeout; the others end on their own.
      const timeoutMs = mode === 'hang' ? HANG_TIMEOUT_MS : undefined;
      const viaProxy = await createServiceHarness(devOptions(apiKey, proxy.baseUrl, { timeoutMs }));
      try {
        const error = await rejectionOf(viaProxy.service.createLink({ amount: 9.99 }));
        seenErrors.push(error);
        expect(error).toBeInstanceOf(errorClass);
        // On a busy machine the client may give up before the proxy's forward is done: wait
        // for the forward, then make sure it stayed the only one.
        await waitFor(() => proxy.forwarded >= 1);
        expect(callsTo(mock.requests, 'createLink')).toHaveLength(1);
        expect(mock.links).toHaveLength(1);
        expect(proxy.forwarded).toBe(1);

        // The same loss on a read is retried (maxRetries 2 -> 3 attempts).
        const readError = await rejectionOf(viaProxy.service.getMyUnusedLinks());
        seenErrors.push(readError);
        await waitFor(() => proxy.forwarded >= 4);
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
      await waitFor(() => callsTo(mock.requests, 'getMyUnusedLinks').length > 0);
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
      let waiting = false;
      const slow = await createServiceHarness(
        { apiKey, environment: 'development', baseUrl: mock.baseUrl, rateLimit: false },
        {
          retryPolicy: new SecPaidRetryPolicy({
            baseDelayMs: 60_000,
            random: () => 0.99,
            // The real abortable wait, plus a flag saying the loop is in it.
            wait: (ms, endpoint, signal) => {
              waiting = true;
              return abortableDelay(ms, endpoint, signal);
            },
          }),
        },
      );
      try {
        mock.injectFault({ endpoint: 'getMyUsedLinks', status: 500, times: 5 });
        const controller = new AbortController();
        const pending = slow.service.getMyUsedLinks({}, { signal: controller.signal });
        await waitFor(() => waiting);
        controller.abort();
        const error = await rejectionOf(pending);
        expect(error).toMatchObject({ code: 'ABORT_ERR' });
        expect(callsTo(mock.requests, 'getMyUsedLinks')).toHaveLength(1);
      } finally {
        await slow.close();
      }
    });
  });
});
