import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SECPAID_METRICS, SecPaidApiError, SecPaidRateLimitError } from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import { post, startWebhookAppOn, type WebhookApp } from '../support/webhook-app.harness.js';
import { InMemoryOpenTelemetry, everythingExported } from '../support/in-memory-otel.sdk.js';

const NOTE = 'Birthday present for Erika Mustermann, Hauptstr. 5';

describe('OpenTelemetry: spans and metrics through a registered SDK (in-memory exporters)', () => {
  let sdk: InMemoryOpenTelemetry;
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  let apiKey: string;
  /** The span active whenever node:http starts a request: what instrumentation-http parents to. */
  const httpParents: (string | undefined)[] = [];
  const onHttpStart = (): void => {
    httpParents.push(trace.getActiveSpan()?.spanContext().spanId);
  };

  beforeAll(async () => {
    sdk = InMemoryOpenTelemetry.install();
    diagnostics.subscribe('http.client.request.start', onHttpStart);
    mock = await SecPaidMockServer.start({ rateLimit: false });
    apiKey = mock.accounts[0]!.apiKey;
    harness = await createServiceHarness(devOptions(apiKey, mock.baseUrl, { maxRetries: 2 }));
  });

  afterAll(async () => {
    diagnostics.unsubscribe('http.client.request.start', onHttpStart);
    await harness.close();
    await mock.stop();
    await sdk.uninstall();
  });

  /** The last finished span called `name`. */
  function last(name: string): ReadableSpan {
    const spans = sdk.finished(name);
    expect(spans.length).toBeGreaterThan(0);
    return spans.at(-1)!;
  }

  /** Sum of the points of `name` matching `match`. */
  async function total(name: string, match: Record<string, string | number> = {}) {
    return (await sdk.pointsOf(name, match)).reduce((sum, point) => sum + point.value, 0);
  }

  it('a success: span "secpaid createLink" parents the HTTP request; duration recorded', async () => {
    httpParents.length = 0;
    const link = await harness.service.createLink({ amount: 12.5, note: NOTE });
    expect(link.id).toBeGreaterThan(0);
    const span = last('secpaid createLink');
    expect(span.attributes).toMatchObject({
      'secpaid.operation': 'createLink',
      'secpaid.endpoint': 'createLink',
      'secpaid.safety_class': 'write',
      'secpaid.environment': 'development',
      'secpaid.attempts': 1,
      'secpaid.limiter.wait_ms': 0,
      'secpaid.outcome': 'success',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
    });
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.status.code).toBe(0); // UNSET
    expect(httpParents).toEqual([span.spanContext().spanId]);
    expect(
      await total(SECPAID_METRICS.operationDuration, {
        'secpaid.operation': 'createLink',
        'secpaid.outcome': 'success',
        'http.request.method': 'POST',
        'http.response.status_code': 200,
      }),
    ).toBe(1);
  });

  it('a retried read: one span, two attempts under it, a retry event with the resend count', async () => {
    httpParents.length = 0;
    mock.injectFault({ endpoint: 'getPayInTransactions', status: 503, times: 1 });
    await harness.service.getPayInTransactions({ limit: 5 });
    const span = last('secpaid getPayInTransactions');
    expect(span.attributes).toMatchObject({
      'secpaid.safety_class': 'read',
      'secpaid.attempts': 2,
      'secpaid.outcome': 'success',
      'http.response.status_code': 200,
    });
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'secpaid.retry',
        {
          'http.request.resend_count': 1,
          'secpaid.retry.delay_ms': expect.any(Number),
          'error.type': 'SecPaidServerError',
        },
      ],
    ]);
    const id = span.spanContext().spanId;
    expect(httpParents).toEqual([id, id]);
    expect(
      await total(SECPAID_METRICS.retries, {
        'secpaid.operation': 'getPayInTransactions',
        'error.type': 'SecPaidServerError',
      }),
    ).toBe(1);
  });

  it('a 429 on every attempt: counted per answer, span in error with error.type', async () => {
    mock.injectFault({
      endpoint: 'deleteLink',
      status: 429,
      times: 3,
      headers: { 'Retry-After': '0' },
    });
    const error = await rejectionOf(harness.service.deleteLink(4242));
    expect(error).toBeInstanceOf(SecPaidRateLimitError);
    const span = last('secpaid deleteLink');
    expect(span.attributes).toMatchObject({
      'secpaid.attempts': 3,
      'secpaid.outcome': 'error',
      'error.type': 'SecPaidRateLimitError',
      'http.response.status_code': 429,
    });
    expect(span.status).toEqual({ code: 2, message: 'SecPaidRateLimitError' }); // ERROR
    expect(span.events.map((event) => event.attributes?.['http.request.resend_count'])).toEqual([
      1, 2,
    ]);
    expect(await total(SECPAID_METRICS.rateLimited, { 'secpaid.operation': 'deleteLink' })).toBe(3);
    expect(await total(SECPAID_METRICS.retries, { 'secpaid.operation': 'deleteLink' })).toBe(2);
    expect(
      await total(SECPAID_METRICS.operationDuration, {
        'secpaid.operation': 'deleteLink',
        'secpaid.outcome': 'error',
        'error.type': 'SecPaidRateLimitError',
      }),
    ).toBe(1);
  });

  it('a create SecPaid refuses: one attempt, no retry, error.type of the refusal', async () => {
    mock.injectFault({
      endpoint: 'createSplitLink',
      body: { ResponseCode: 0, Result: 'False', ResponseMsg: 'Recipient token is invalid' },
    });
    const error = await rejectionOf(
      harness.service.createSplitLink({
        amount: 20,
        note: NOTE,
        recipients: [{ token: 'partner-x', share: 10 }],
      }),
    );
    expect(error).toBeInstanceOf(SecPaidApiError);
    const span = last('secpaid createSplitLink');
    expect(span.attributes).toMatchObject({
      'secpaid.safety_class': 'write',
      'secpaid.attempts': 1,
      'secpaid.outcome': 'error',
      'error.type': 'SecPaidApiError',
    });
    expect(span.events).toEqual([]);
  });

  it('a create refused by validation: zero attempts, nothing sent', async () => {
    httpParents.length = 0;
    await rejectionOf(harness.service.createLink({ amount: -1, note: NOTE }));
    expect(last('secpaid createLink').attributes).toMatchObject({
      'secpaid.attempts': 0,
      'secpaid.outcome': 'error',
      'error.type': 'SecPaidValidationError',
    });
    expect(httpParents).toEqual([]);
  });

  it('a limiter wait: counted, timed, and on the span', async () => {
    const limited = await createServiceHarness(
      devOptions(apiKey, mock.baseUrl, { rateLimit: { requestsPerMinute: 1 } }),
      { windowMs: 40 },
    );
    try {
      // Sent together: the second must wait for the first one's window.
      await Promise.all([limited.service.getMyUsedLinks(), limited.service.getMyUsedLinks()]);
    } finally {
      await limited.close();
    }
    const span = last('secpaid getMyUsedLinks');
    expect(span.attributes['secpaid.limiter.wait_ms']).toBeGreaterThan(0);
    expect(
      await total(SECPAID_METRICS.limiterWaits, { 'secpaid.operation': 'getMyUsedLinks' }),
    ).toBe(1);
    expect(await total(SECPAID_METRICS.limiterWaitDuration)).toBe(1);
  });

  describe('webhooks', () => {
    let web: WebhookApp;

    beforeAll(async () => {
      web = await startWebhookAppOn(mock);
    });

    afterAll(async () => {
      await web.close();
    });

    it('receipt and confirmation are spans; the confirming lookup is a child of the confirmation', async () => {
      const link = await web.service.createLink({
        amount: 30,
        note: NOTE,
        paymentEndpoint: `${web.origin}/secpaid/webhook`,
      });
      const { deliveries } = await mock.pay(link.id);
      expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);

      const receipt = last('secpaid webhook');
      expect(receipt.attributes).toMatchObject({
        'secpaid.webhook.type': 'payment.succeeded',
        'secpaid.pay_id': link.id,
        'secpaid.webhook.encrypted': false,
        'secpaid.webhook.outcome': 'dispatched',
      });
      const confirmation = last('secpaid webhook confirm');
      expect(confirmation.attributes).toMatchObject({
        'secpaid.pay_id': link.id,
        'secpaid.confirmation.outcome': 'confirmed',
      });
      expect(confirmation.parentSpanContext?.spanId).toBe(receipt.spanContext().spanId);
      const lookup = last('secpaid getPayInTransactions');
      expect(lookup.parentSpanContext?.spanId).toBe(confirmation.spanContext().spanId);

      expect(
        await total(SECPAID_METRICS.webhookEvents, {
          'secpaid.webhook.type': 'payment.succeeded',
          'secpaid.webhook.outcome': 'dispatched',
        }),
      ).toBe(1);
      expect(
        await total(SECPAID_METRICS.webhookConfirmations, {
          'secpaid.confirmation.outcome': 'confirmed',
        }),
      ).toBe(1);
      // Back to zero once the confirmation is over.
      expect(await total(SECPAID_METRICS.pendingConfirmations)).toBe(0);
    });

    it('a success the API does not show is "pending" (202), a body that is no webhook "rejected"', async () => {
      const forged = await post(
        `${web.origin}/secpaid/webhook`,
        JSON.stringify(nestedPayload(987654, 1)),
        JSON_TYPE,
      );
      expect(forged.status).toBe(202);
      expect(last('secpaid webhook').attributes['secpaid.webhook.outcome']).toBe('pending');
      expect(last('secpaid webhook confirm').attributes['secpaid.confirmation.outcome']).toBe(
        'pending',
      );
      const garbage = await post(`${web.origin}/secpaid/webhook`, '{"nope":1}', JSON_TYPE);
      expect(garbage.status).toBe(400);
      expect(last('secpaid webhook').attributes).toMatchObject({
        'secpaid.webhook.outcome': 'rejected',
      });
      expect(last('secpaid webhook').status.code).toBe(0);
      expect(
        await total(SECPAID_METRICS.webhookEvents, { 'secpaid.webhook.outcome': 'rejected' }),
      ).toBe(1);
      expect(
        await total(SECPAID_METRICS.webhookEvents, { 'secpaid.webhook.outcome': 'pending' }),
      ).toBe(1);
    });
  });

  it('nothing exported contains the API key or the note', async () => {
    const exported = await everythingExported(sdk);
    expect(exported).toContain('secpaid createLink');
    expect(exported).toContain('secpaid webhook confirm');
    expect(exported).not.toContain(apiKey);
    expect(exported).not.toContain(NOTE);
    expect(exported).not.toContain('Erika');
  });
});
