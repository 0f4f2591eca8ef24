import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  SECPAID_DIAGNOSTICS_CHANNELS,
  SecPaidNotFoundError,
  type SecPaidWebhookMessage,
} from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';
import { JSON_TYPE } from '../support/webhook.fixtures.js';
import { post, startWebhookAppOn, type WebhookApp } from '../support/webhook-app.harness.js';

type Seen = { event: string; message: Record<string, unknown> };

/** Subscribes to a TracingChannel and keeps a copy of the message at every event. */
function record(name: string, seen: Seen[]) {
  const channel = diagnostics.tracingChannel<unknown, object>(name);
  const at = (event: string) => (message: object) => {
    seen.push({ event, message: { ...(message as Record<string, unknown>) } });
  };
  const handlers = {
    start: at('start'),
    end: at('end'),
    asyncStart: at('asyncStart'),
    asyncEnd: at('asyncEnd'),
    error: at('error'),
  };
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}

describe('diagnostics_channel: TracingChannels secpaid:call and secpaid:webhook', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  let apiKey: string;
  const calls: Seen[] = [];
  const plain: { channel: string; message: unknown }[] = [];
  const unsubscribe: (() => void)[] = [];

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    apiKey = mock.accounts[0]!.apiKey;
    harness = await createServiceHarness(devOptions(apiKey, mock.baseUrl, { maxRetries: 1 }));
    unsubscribe.push(record(SECPAID_DIAGNOSTICS_CHANNELS.call, calls));
    for (const name of [
      SECPAID_DIAGNOSTICS_CHANNELS.retry,
      SECPAID_DIAGNOSTICS_CHANNELS.rateLimited,
      SECPAID_DIAGNOSTICS_CHANNELS.limiterWait,
    ]) {
      const listener = (message: unknown) => plain.push({ channel: name, message });
      diagnostics.subscribe(name, listener);
      unsubscribe.push(() => diagnostics.unsubscribe(name, listener));
    }
  });

  beforeEach(() => {
    calls.length = 0;
    plain.length = 0;
  });

  afterAll(async () => {
    for (const stop of unsubscribe) stop();
    await harness.close();
    await mock.stop();
  });

  it('a success: start, end, asyncStart, asyncEnd with the filled-in message and the result', async () => {
    const links = await harness.service.getMyUnusedLinks({ limit: 3 });
    expect(calls.map((seen) => seen.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(calls[0]!.message).toEqual({
      operation: 'getMyUnusedLinks',
      endpoint: 'getMyUnusedLinks',
      safety: 'read',
      environment: 'development',
      attempts: 1,
      limiterWaitMs: 0,
    });
    expect(calls[3]!.message).toMatchObject({
      operation: 'getMyUnusedLinks',
      attempts: 1,
      httpStatus: 200,
      outcome: 'success',
      result: links,
    });
  });

  it('a failure: error carries the typed error and errorType; never the key', async () => {
    const error = await rejectionOf(harness.service.deleteLink(999_999));
    expect(error).toBeInstanceOf(SecPaidNotFoundError);
    expect(calls.map((seen) => seen.event)).toEqual([
      'start',
      'end',
      'error',
      'asyncStart',
      'asyncEnd',
    ]);
    const failed = calls.find((seen) => seen.event === 'error')!.message;
    expect(failed).toMatchObject({
      operation: 'deleteLink',
      safety: 'write',
      outcome: 'error',
      errorType: 'SecPaidNotFoundError',
      error,
    });
    expect(JSON.stringify(calls)).not.toContain(apiKey);
  });

  it('a retried 429: the rate-limited and retry channels hear it', async () => {
    mock.injectFault({
      endpoint: 'getPayOutTransactions',
      status: 429,
      headers: { 'Retry-After': '0' },
    });
    await harness.service.getPayOutTransactions();
    expect(plain).toEqual([
      {
        channel: SECPAID_DIAGNOSTICS_CHANNELS.rateLimited,
        message: {
          operation: 'getPayOutTransactions',
          endpoint: 'getPayOutTransactions',
          attempt: 1,
          retrying: true,
          retryAfterMs: 0,
        },
      },
      {
        channel: SECPAID_DIAGNOSTICS_CHANNELS.retry,
        message: {
          operation: 'getPayOutTransactions',
          endpoint: 'getPayOutTransactions',
          resendCount: 1,
          delayMs: 0,
          errorType: 'SecPaidRateLimitError',
        },
      },
    ]);
    expect(calls.at(-1)!.message).toMatchObject({ attempts: 2, outcome: 'success' });
  });

  it('a limiter wait is published with its duration', async () => {
    const limited = await createServiceHarness(
      devOptions(apiKey, mock.baseUrl, { rateLimit: { requestsPerMinute: 1 } }),
      { windowMs: 30 },
    );
    try {
      // Sent together: the second must wait for the first one's window.
      await Promise.all([limited.service.getTaxInvoiceList(), limited.service.getTaxInvoiceList()]);
    } finally {
      await limited.close();
    }
    expect(plain).toEqual([
      {
        channel: SECPAID_DIAGNOSTICS_CHANNELS.limiterWait,
        message: {
          operation: 'getTaxInvoiceList',
          endpoint: 'getTaxInvoiceList',
          waitMs: expect.any(Number),
        },
      },
    ]);
    const waited = calls.filter((seen) => seen.event === 'asyncEnd').at(-1)!.message;
    expect(waited['limiterWaitMs'] as number).toBeGreaterThan(0);
  });

  describe('webhooks', () => {
    let web: WebhookApp;
    const webhooks: Seen[] = [];

    beforeAll(async () => {
      web = await startWebhookAppOn(mock);
      unsubscribe.push(record(SECPAID_DIAGNOSTICS_CHANNELS.webhook, webhooks));
    });

    afterAll(async () => {
      await web.close();
    });

    it('a delivered webhook: start, then asyncEnd with type, payId and outcome; never the body', async () => {
      const link = await web.service.createLink({
        amount: 8,
        note: 'Secret note 4711',
        paymentEndpoint: `${web.origin}/secpaid/webhook`,
      });
      await mock.pay(link.id);
      const end = webhooks.find((seen) => seen.event === 'asyncEnd')!
        .message as SecPaidWebhookMessage;
      expect(end).toMatchObject({
        type: 'payment.succeeded',
        payId: link.id,
        encrypted: false,
        outcome: 'dispatched',
      });
      expect(webhooks[0]!.event).toBe('start');
      expect(
        JSON.stringify(webhooks.map((seen) => ({ ...seen.message, result: undefined }))),
      ).not.toContain('Secret note 4711');
    });

    it('a rejected body: error with outcome rejected', async () => {
      webhooks.length = 0;
      const answer = await post(`${web.origin}/secpaid/webhook`, '{"nope":1}', JSON_TYPE);
      expect(answer.status).toBe(400);
      expect(webhooks.map((seen) => seen.event)).toContain('error');
      expect(webhooks.at(-1)!.message).toMatchObject({ outcome: 'rejected' });
    });
  });
});
