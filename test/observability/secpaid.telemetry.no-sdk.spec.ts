import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { SECPAID_METRICS, SecPaidRateLimitError } from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';
import { startWebhookAppOn, type WebhookApp } from '../support/webhook-app.harness.js';
import { InMemoryOpenTelemetry } from '../support/in-memory-otel.sdk.js';

describe('OpenTelemetry API installed, no SDK registered', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  let web: WebhookApp;
  /** Whether the span active when node:http sends would be recorded by anyone. */
  const httpSpans: { recording: boolean; valid: boolean }[] = [];
  const onHttpStart = (): void => {
    const span = trace.getActiveSpan();
    httpSpans.push({
      recording: span?.isRecording() ?? false,
      valid: span !== undefined && isSpanContextValid(span.spanContext()),
    });
  };

  beforeAll(async () => {
    diagnostics.subscribe('http.client.request.start', onHttpStart);
    mock = await SecPaidMockServer.start({ rateLimit: false });
    harness = await createServiceHarness(
      devOptions(mock.accounts[0]!.apiKey, mock.baseUrl, { maxRetries: 1 }),
    );
    web = await startWebhookAppOn(mock);
  });

  afterAll(async () => {
    diagnostics.unsubscribe('http.client.request.start', onHttpStart);
    await web.close();
    await harness.close();
    await mock.stop();
  });

  it('every call, retry, 429 and webhook works; nothing is recording', async () => {
    const link = await harness.service.createLink({ amount: 3 });
    mock.injectFault({ endpoint: 'getPayInTransactions', status: 502 });
    await harness.service.getPayInTransactions();
    mock.injectFault({ endpoint: 'createLink', status: 429, times: 2 });
    expect(await rejectionOf(harness.service.createLink({ amount: 4 }))).toBeInstanceOf(
      SecPaidRateLimitError,
    );
    await harness.service.paginateUnusedLinks().toArray({ limit: 5 });
    const paid = await web.service.createLink({
      amount: 6,
      paymentEndpoint: `${web.origin}/secpaid/webhook`,
    });
    const { deliveries } = await mock.pay(paid.id);
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(link.id).toBeGreaterThan(0);
    expect(httpSpans.length).toBeGreaterThanOrEqual(8);
    expect(httpSpans.filter((span) => span.recording || span.valid)).toEqual([]);
  });

  it('an SDK registered after the module started is used from the next call on', async () => {
    const sdk = InMemoryOpenTelemetry.install();
    try {
      await harness.service.getMyUsedLinks();
      expect(sdk.spans.getFinishedSpans().map((span) => span.name)).toEqual([
        'secpaid getMyUsedLinks',
      ]);
      expect(
        await sdk.pointsOf(SECPAID_METRICS.operationDuration, {
          'secpaid.operation': 'getMyUsedLinks',
        }),
      ).toHaveLength(1);
      // Calls made before the SDK existed left nothing behind.
      expect(await sdk.pointsOf(SECPAID_METRICS.retries)).toEqual([]);
    } finally {
      await sdk.uninstall();
    }
  });

  it('an SDK disabled and replaced by another: the next call goes to the new one only', async () => {
    const first = InMemoryOpenTelemetry.install();
    await harness.service.getMyUsedLinks();
    const firstSpans = first.spans.getFinishedSpans();
    await first.uninstall(); // (its exporter forgets its spans on shutdown)
    await harness.service.getMyUsedLinks(); // no SDK now
    const second = InMemoryOpenTelemetry.install();
    try {
      await harness.service.getTaxInvoiceList();
      expect(firstSpans.map((span) => span.name)).toEqual(['secpaid getMyUsedLinks']);
      expect(second.spans.getFinishedSpans().map((span) => span.name)).toEqual([
        'secpaid getTaxInvoiceList',
      ]);
    } finally {
      await second.uninstall();
    }
  });
});
