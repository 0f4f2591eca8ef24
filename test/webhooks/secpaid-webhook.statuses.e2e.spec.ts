import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { SecPaidWebhookHandler } from '../../lib/webhooks/delivery/secpaid-webhook-handler.decorator.js';
import type { SecPaidWebhookEvent } from '../../lib/models/secpaid-webhook-event.model.js';
import { FORM_TYPE, JSON_TYPE, bracketPayload, formBody } from '../support/webhook.fixtures.js';
import {
  ADAPTERS,
  post,
  startWebhookAppOn,
  type WebhookApp,
} from '../support/webhook-app.harness.js';

/** Asks for the types a catch-all handler never gets. */
@Injectable()
class OptInHandler {
  readonly events: SecPaidWebhookEvent[] = [];

  @SecPaidWebhookHandler('payment.failed')
  @SecPaidWebhookHandler('payment.unknown')
  record(event: SecPaidWebhookEvent): void {
    this.events.push(event);
  }
}

/** The body shapes SecPaid (docs) and its WooCommerce plugin (parse_str) use, either status key. */
const SHAPES: [string, (payId: number, status: string, key: string) => [string, string]][] = [
  ['form data[...]', (payId, status, key) => [formBody(payId, 10, status, key), FORM_TYPE]],
  [
    'JSON data[...]',
    (payId, status, key) => [JSON.stringify(bracketPayload(payId, 10, status, key)), JSON_TYPE],
  ],
  [
    'JSON nested data',
    (payId, status, key) => [
      JSON.stringify({ ResponseCode: 1, data: { pay_id: payId, amount: 10, [key]: status } }),
      JSON_TYPE,
    ],
  ],
];
const KEYS = ['status', 'Status'];

describe.each(ADAPTERS)('%s: every status as SecPaid sends it', (adapter) => {
  let mock: SecPaidMockServer;
  let web: WebhookApp;
  let optIn: OptInHandler;
  let url: string;
  let nextPayId = 660_000;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    web = await startWebhookAppOn(
      mock,
      {},
      { adapter, configure: (app) => app.withProviders(OptInHandler) },
    );
    optIn = web.app.get(OptInHandler);
    url = `${web.origin}/secpaid/webhook`;
  });
  afterAll(async () => {
    await web?.close();
    await mock?.stop();
  });
  beforeEach(() => {
    web.handler.events.length = 0;
    optIn.events.length = 0;
  });

  const lookups = (): number =>
    mock.requests.filter((r) => r.path.endsWith('/getPayInTransactions')).length;

  it.each(['Success', 'success', 'SUCCESS'])(
    'a genuine payment with status %p in every body shape is dispatched once, confirmed',
    async (status) => {
      for (const [, body] of SHAPES) {
        for (const key of KEYS) {
          const { id } = await web.service.createLink({ amount: 10, paymentEndpoint: url });
          // The mock records the payment; the webhook is posted here, in this shape.
          await mock.pay(id, { sendWebhooks: false });
          const answer = await post(url, ...body(id, status, key));
          expect([answer.status, answer.json()]).toEqual([200, { received: true }]);
        }
      }
      expect(web.handler.events).toHaveLength(SHAPES.length * KEYS.length);
      expect(web.handler.events.every((e) => e.type === 'payment.succeeded' && e.confirmed)).toBe(
        true,
      );
      expect(optIn.events).toEqual([]);
    },
  );

  it.each(['Failed', 'failed', 'FAILED'])(
    'status %p in every body shape: 200, payment.failed to opt-in handlers only, never paid',
    async (status) => {
      const before = lookups();
      for (const [, body] of SHAPES) {
        for (const key of KEYS) {
          const answer = await post(url, ...body(nextPayId++, status, key));
          expect([answer.status, answer.json()]).toEqual([200, { received: true }]);
        }
      }
      expect(web.handler.events).toEqual([]); // the catch-all: nothing
      expect(optIn.events).toHaveLength(SHAPES.length * KEYS.length);
      for (const event of optIn.events) {
        expect(event).toMatchObject({ type: 'payment.failed', status, confirmed: false });
      }
      expect(lookups()).toBe(before); // no confirmation spent on a failure
    },
  );

  it('an unknown status: 200, payment.unknown to opt-in handlers, logged once per value', async () => {
    const statuses = ['Refunded', 'Refunded', 'chargeback', 'Refunded'];
    for (const status of statuses) {
      const answer = await post(url, formBody(nextPayId++, 10, status), FORM_TYPE);
      expect(answer.status).toBe(200);
    }
    expect(web.handler.events).toEqual([]);
    expect(optIn.events.map((e) => [e.type, e.status, e.confirmed])).toEqual(
      statuses.map((status) => ['payment.unknown', status, false]),
    );
    const logged = (value: string) =>
      web.logger.lines.filter((l) => l.message.includes(`unknown status '${value}'`)).length;
    expect([logged('Refunded'), logged('chargeback')]).toEqual([1, 1]);
  });

  it('a redelivered Failed runs its handlers once; a prototype name as status is still a 400', async () => {
    const body = formBody(nextPayId++, 10, 'Failed');
    expect((await post(url, body, FORM_TYPE)).status).toBe(200);
    expect((await post(url, body, FORM_TYPE)).status).toBe(200);
    expect(optIn.events).toHaveLength(1);
    for (const status of ['constructor', '__proto__', 'toString']) {
      expect((await post(url, formBody(nextPayId++, 10, status), FORM_TYPE)).status).toBe(400);
    }
    expect(optIn.events).toHaveLength(1);
  });
});
