import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { SECPAID_WEBHOOK_INVALID_MESSAGE } from '../../lib/secpaid.constants.js';
import { JSON_TYPE, KEY, encrypt, nestedPayload } from '../support/webhook.fixtures.js';
import { post, startWebhookAppOn, type WebhookApp } from '../support/webhook-app.harness.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

describe('webhooks end to end: mock server -> Nest app -> handlers', () => {
  let mock: SecPaidMockServer;
  let web: WebhookApp;
  let webhookUrl: string;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    mock = await SecPaidMockServer.start({ rateLimit: false });
    web = await startWebhookAppOn(mock);
    webhookUrl = `${web.origin}/secpaid/webhook`;
  });

  afterAll(async () => {
    await web?.close();
    await mock?.stop();
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  beforeEach(() => {
    web.handler.events.length = 0;
    web.handler.failing = false;
  });

  function lookupsOf(payId: number): number {
    return mock.requests.filter(
      (r) =>
        r.path.endsWith('/getPayInTransactions') && JSON.stringify(r.body).includes(String(payId)),
    ).length;
  }

  async function newLink(amount = 49.99): Promise<number> {
    const link = await web.service.createLink({
      amount,
      note: 'Order 42',
      paymentEndpoint: webhookUrl,
    });
    return link.id;
  }

  it('mock pay(linkId) -> the handler runs once with confirmed: true', async () => {
    const linkId = await newLink(49.99);
    const result = await mock.pay(linkId);
    expect(result.deliveries.map((d) => d.status)).toEqual([200]);
    expect(web.handler.events).toHaveLength(1);
    expect(web.handler.events[0]).toMatchObject({
      type: 'payment.succeeded',
      payId: linkId,
      amount: 49.99,
      note: 'Order 42',
      encrypted: false,
      confirmed: true,
    });
  });

  it('confirms the form bracket-key shape too', async () => {
    const linkId = await newLink(12.5);
    const result = await mock.pay(linkId, { webhookFormat: 'form' });
    expect(result.deliveries[0].contentType).toContain('x-www-form-urlencoded');
    expect(result.deliveries.map((d) => d.status)).toEqual([200]);
    expect(web.handler.events).toMatchObject([
      { type: 'payment.succeeded', payId: linkId, amount: 12.5, confirmed: true },
    ]);
  });

  it('a replayed webhook is answered 200 and the handler still ran once', async () => {
    const linkId = await newLink();
    const { deliveries } = await mock.pay(linkId);
    const replay = await post(webhookUrl, deliveries[0].body, deliveries[0].contentType);
    expect(replay.status).toBe(200);
    const again = await post(webhookUrl, deliveries[0].body, deliveries[0].contentType);
    expect(again.status).toBe(200);
    expect(web.handler.events).toHaveLength(1);
  });

  it('concurrent duplicates dispatch once', async () => {
    const linkId = await newLink();
    await mock.pay(linkId, { sendWebhooks: false });
    const body = JSON.stringify(nestedPayload(linkId, 49.99));
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(webhookUrl, body, JSON_TYPE)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(web.handler.events).toHaveLength(1);
  });

  it('a success the API does not show -> 202 pending, no handler, a warning', async () => {
    const linkId = await newLink();
    const forged = await post(webhookUrl, JSON.stringify(nestedPayload(linkId, 49.99)), JSON_TYPE);
    expect(forged.status).toBe(202);
    expect(forged.json()).toEqual({ received: true, pending: true });
    expect(web.handler.events).toHaveLength(0);
    expect(web.logger.lines).toContainEqual({
      level: 'warn',
      message: expect.stringContaining(`pay_id ${linkId}`),
    });
    // Looked up once plus one re-check per configured inline delay, then kept as pending.
    expect(lookupsOf(linkId)).toBe(3);
  });

  it('the same claim again is answered 202 at once, without inline re-checks', async () => {
    const body = JSON.stringify(nestedPayload(987654, 1));
    expect((await post(webhookUrl, body, JSON_TYPE)).status).toBe(202);
    const before = lookupsOf(987654);
    const again = await post(webhookUrl, body, JSON_TYPE);
    expect(again.status).toBe(202);
    // Inline it would be 3 lookups; at most the one background round it moved up.
    expect(lookupsOf(987654) - before).toBeLessThanOrEqual(1);
    expect(web.handler.events).toHaveLength(0);
  });

  it('a success with another amount than the API shows -> 400; the API figure wins later', async () => {
    const linkId = await newLink(80);
    await mock.pay(linkId, { sendWebhooks: false });
    const wrong = await post(webhookUrl, JSON.stringify(nestedPayload(linkId, 0.8)), JSON_TYPE);
    expect(wrong.status).toBe(400);
    expect(wrong.json().message).toBe(SECPAID_WEBHOOK_INVALID_MESSAGE);
    expect(web.handler.events).toHaveLength(0);
    // Without an amount in the webhook, the event carries the API's.
    const body = JSON.stringify({
      ResponseCode: 1,
      data: { pay_id: String(linkId), status: 'success' },
    });
    const right = await post(webhookUrl, body, JSON_TYPE);
    expect(right.status).toBe(200);
    expect(web.handler.events).toMatchObject([{ payId: linkId, amount: 80, confirmed: true }]);
  });

  it('a concurrent forged body for the same payment does not decide for the genuine one', async () => {
    const linkId = await newLink(30);
    await mock.pay(linkId, { sendWebhooks: false });
    const [forged, genuine] = await Promise.all([
      post(webhookUrl, JSON.stringify(nestedPayload(linkId, 3000)), JSON_TYPE),
      post(webhookUrl, JSON.stringify(nestedPayload(linkId, 30)), JSON_TYPE),
    ]);
    expect([forged.status, genuine.status]).toEqual([400, 200]);
    expect(web.handler.events).toMatchObject([{ payId: linkId, amount: 30, confirmed: true }]);
  });

  it('on a confirmed event the API note and user id replace what the body claims', async () => {
    const linkId = await newLink(15);
    await mock.pay(linkId, { sendWebhooks: false });
    const body = {
      ResponseCode: 1,
      data: { pay_id: linkId, amount: 15, status: 'Success', note: 'FORGED', user_id: 'evil' },
    };
    expect((await post(webhookUrl, JSON.stringify(body), JSON_TYPE)).status).toBe(200);
    expect(web.handler.events).toMatchObject([
      { payId: linkId, note: 'Order 42', userId: mock.accounts[0].userId, confirmed: true },
    ]);
  });

  it('a cancellation is dispatched with confirmed: false (no endpoint shows cancellations)', async () => {
    const linkId = await newLink();
    const result = await mock.cancel(linkId);
    expect(result.deliveries.map((d) => d.status)).toEqual([200]);
    expect(web.handler.events).toMatchObject([
      { type: 'payment.cancelled', payId: linkId, confirmed: false },
    ]);
  });

  it('a throwing handler -> 500; the sender may retry and the retry is dispatched', async () => {
    const linkId = await newLink();
    web.handler.failing = true;
    const { deliveries } = await mock.pay(linkId);
    expect(deliveries[0].status).toBe(500);
    expect(deliveries[0].responseBody).not.toContain('on purpose');
    web.handler.failing = false;
    const retry = await post(webhookUrl, deliveries[0].body, deliveries[0].contentType);
    expect(retry.status).toBe(200);
    expect(web.handler.events).toHaveLength(1);
  });

  it('an API failure during confirmation -> 500, no handler', async () => {
    const linkId = await newLink();
    await mock.pay(linkId, { sendWebhooks: false });
    mock.injectFault({ endpoint: 'getPayInTransactions', status: 503 });
    const answer = await post(webhookUrl, JSON.stringify(nestedPayload(linkId, 49.99)), JSON_TYPE);
    expect(answer.status).toBe(500);
    expect(answer.body).not.toContain(mock.accounts[0].apiKey);
    expect(web.handler.events).toHaveLength(0);
    // Not remembered: the next delivery is confirmed and dispatched.
    const next = await post(webhookUrl, JSON.stringify(nestedPayload(linkId, 49.99)), JSON_TYPE);
    expect(next.status).toBe(200);
    expect(web.handler.events).toHaveLength(1);
  });

  it('rejects an encrypted body when no key is configured', async () => {
    const linkId = await newLink();
    await mock.pay(linkId, { sendWebhooks: false });
    const body = JSON.stringify({
      data: encrypt(JSON.stringify(nestedPayload(linkId, 49.99)), KEY),
    });
    const answer = await post(webhookUrl, body, JSON_TYPE);
    expect(answer.status).toBe(400);
    expect(web.handler.events).toHaveLength(0);
  });
});

describe('confirmation waits for a payment the API does not show yet', () => {
  let mock: SecPaidMockServer;
  let web: WebhookApp;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    // Generous re-check window: the test pays while the receiver is waiting.
    web = await startWebhookAppOn(
      mock,
      {},
      { tuning: { confirmRetryDelaysMs: [100, 200, 400, 800, 1600], dedupeTtlMs: 60_000 } },
    );
  });

  afterAll(async () => {
    await web?.close();
    await mock?.stop();
  });

  it('a webhook that arrives before the pay-in is visible is confirmed on a re-check', async () => {
    const url = `${web.origin}/secpaid/webhook`;
    const { id } = await web.service.createLink({ amount: 19.9, paymentEndpoint: url });
    const lookups = () =>
      mock.requests.filter(
        (r) =>
          r.path.endsWith('/getPayInTransactions') && JSON.stringify(r.body).includes(String(id)),
      ).length;
    const answer = post(url, JSON.stringify(nestedPayload(id, 19.9)), JSON_TYPE);
    while (lookups() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await mock.pay(id, { sendWebhooks: false });
    expect((await answer).status).toBe(200);
    expect(lookups()).toBeGreaterThan(1);
    expect(web.handler.events).toMatchObject([{ payId: id, amount: 19.9, confirmed: true }]);
  });
});
