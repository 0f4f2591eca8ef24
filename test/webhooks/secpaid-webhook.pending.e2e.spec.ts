import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { SecPaidWebhookHandler } from '../../lib/webhooks/delivery/secpaid-webhook-handler.decorator.js';
import type { SecPaidWebhookEvent } from '../../lib/models/secpaid-webhook-event.model.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import {
  ADAPTERS,
  post,
  startWebhookAppOn,
  type WebhookApp,
} from '../support/webhook-app.harness.js';
import type { SecPaidModuleOptions } from '../../lib/options/secpaid-options.js';

/** Asks for `payment.unconfirmed` by name (the catch-all RecordingHandler never gets it). */
@Injectable()
class UnconfirmedHandler {
  readonly events: SecPaidWebhookEvent[] = [];

  @SecPaidWebhookHandler('payment.unconfirmed')
  record(event: SecPaidWebhookEvent): void {
    this.events.push(event);
  }
}

/** Waits until `done()` holds; the Jest timeout bounds it (no timing assertion). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

// Background re-checks every few ms instead of seconds; no inline re-check.
const PENDING_TUNING = { confirmRetryDelaysMs: [], firstRecheckMs: 20, maxRecheckMs: 80 };

describe.each(ADAPTERS)('%s: pending payments', (adapter) => {
  let mock: SecPaidMockServer;
  let web: WebhookApp | undefined;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
  });

  afterEach(async () => {
    await web?.close();
    web = undefined;
  });

  afterAll(async () => {
    await mock?.stop();
  });

  async function start(webhooks: SecPaidModuleOptions['webhooks']): Promise<WebhookApp> {
    web = await startWebhookAppOn(mock, webhooks, {
      adapter,
      tuning: PENDING_TUNING,
      configure: (app) => app.withProviders(UnconfirmedHandler),
    });
    return web;
  }

  const lookupsOf = (payId: number): number =>
    mock.requests.filter(
      (r) =>
        r.path === '/api/v2/getPayInTransactions' && JSON.stringify(r.body).includes(`${payId}`),
    ).length;

  it('a payment the API shows only after the inline window is dispatched later, confirmed', async () => {
    const app = await start({ pendingPeriodMs: 10 * 60_000 });
    const url = `${app.origin}/secpaid/webhook`;
    const { id } = await app.service.createLink({ amount: 25, note: 'Lag', paymentEndpoint: url });
    // The webhook goes out at once; the lists show the payment only a minute later.
    const { deliveries } = await mock.pay(id, { visibleAfterMs: 60_000 });
    expect(deliveries.map((d) => [d.status, d.responseBody])).toEqual([
      [202, JSON.stringify({ received: true, pending: true })],
    ]);
    expect(app.handler.events).toHaveLength(0);
    const checked = lookupsOf(id);
    await until(() => lookupsOf(id) > checked + 1); // re-checked in the background, not shown

    // The lag ends (instead of waiting a minute).
    mock.payIns.find((p) => p.payId === id)!.visibleAt = new Date();
    await until(() => app.handler.events.length > 0);
    expect(app.handler.events).toMatchObject([
      { type: 'payment.succeeded', payId: id, amount: 25, note: 'Lag', confirmed: true },
    ]);
    expect(app.app.get(UnconfirmedHandler).events).toHaveLength(0);
    // The sender repeating the webhook now gets a duplicate's 200; the handler ran once.
    const again = await post(url, deliveries[0].body, deliveries[0].contentType);
    expect(again.status).toBe(200);
    expect(app.handler.events).toHaveLength(1);
  });

  it('a background re-check the API fails is logged and retried', async () => {
    const app = await start({ pendingPeriodMs: 10 * 60_000 });
    const url = `${app.origin}/secpaid/webhook`;
    const { id } = await app.service.createLink({ amount: 7, paymentEndpoint: url });
    const { deliveries } = await mock.pay(id, { visibleAfterMs: 60_000 });
    expect(deliveries.map((d) => d.status)).toEqual([202]);
    mock.injectFault({ endpoint: 'getPayInTransactions', status: 503, times: 2 });
    mock.payIns.find((p) => p.payId === id)!.visibleAt = new Date();
    await until(() => app.handler.events.length > 0);
    expect(app.handler.events).toMatchObject([{ payId: id, amount: 7, confirmed: true }]);
    expect(mock.pendingFaults).toBe(0);
    expect(app.logger.lines).toContainEqual({
      level: 'warn',
      message: expect.stringContaining('Re-checking pending payments failed'),
    });
  });

  it('at the end of the period: a payment.unconfirmed log line and handler event', async () => {
    const app = await start({ pendingPeriodMs: 200 });
    const url = `${app.origin}/secpaid/webhook`;
    const body = JSON.stringify(nestedPayload(880_001, 9.5));
    expect((await post(url, body, JSON_TYPE)).status).toBe(202);

    const unconfirmed = app.app.get(UnconfirmedHandler);
    await until(() => unconfirmed.events.length > 0);
    expect(unconfirmed.events).toMatchObject([
      { type: 'payment.unconfirmed', payId: 880_001, amount: 9.5, confirmed: false },
    ]);
    expect(app.handler.events).toHaveLength(0); // a catch-all handler never gets it
    expect(app.logger.lines).toContainEqual({
      level: 'warn',
      message: expect.stringMatching(/^payment\.unconfirmed: .*pay_id 880001 .*expired/),
    });
    // Gone from the pending set: the same claim is looked up afresh.
    const before = lookupsOf(880_001);
    expect((await post(url, body, JSON_TYPE)).status).toBe(202);
    expect(lookupsOf(880_001)).toBeGreaterThan(before);
  });

  it('a full pending set answers 503 and drops nothing it holds', async () => {
    const app = await start({ pendingPeriodMs: 10 * 60_000, maxPending: 2 });
    const url = `${app.origin}/secpaid/webhook`;
    const statuses: number[] = [];
    for (const payId of [880_101, 880_102, 880_103, 880_104]) {
      statuses.push((await post(url, JSON.stringify(nestedPayload(payId, 1)), JSON_TYPE)).status);
    }
    expect(statuses).toEqual([202, 202, 503, 503]);
    // The two held are still pending (a redelivery is answered 202 at once), none reported.
    for (const payId of [880_101, 880_102]) {
      expect((await post(url, JSON.stringify(nestedPayload(payId, 1)), JSON_TYPE)).status).toBe(
        202,
      );
    }
    expect(app.app.get(UnconfirmedHandler).events).toEqual([]);
    expect(
      app.logger.lines.filter((l) => l.message.includes('pending payments are full')),
    ).toHaveLength(2);
  });

  it('module destroy ends every wait: a confirmation queued for the budget gets 503', async () => {
    const app = await start({ confirmCallsPerMinute: 1 });
    const url = `${app.origin}/secpaid/webhook`;
    // The first forged claim spends the minute's only lookup; the second waits for the next.
    expect((await post(url, JSON.stringify(nestedPayload(880_201, 1)), JSON_TYPE)).status).toBe(
      202,
    );
    const server = app.app.getHttpServer() as import('node:http').Server;
    const arrived = new Promise((resolve) => server.once('request', resolve));
    const waiting = post(url, JSON.stringify(nestedPayload(880_202, 1)), JSON_TYPE);
    await arrived;
    // Whether it is still reading the body or already waits for the budget: it is answered.
    await app.close();
    web = undefined;
    expect((await waiting).status).toBe(503);
    expect(lookupsOf(880_202)).toBe(0);
  });
});
