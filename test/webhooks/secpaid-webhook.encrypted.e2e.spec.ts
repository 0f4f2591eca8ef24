import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { SECPAID_WEBHOOK_INVALID_MESSAGE } from '../../lib/secpaid.constants.js';
import {
  BAD_PADDING_PLAINTEXT,
  FORM_TYPE,
  JSON_TYPE,
  KEY,
  OTHER_KEY,
  bracketPayload,
  encrypt,
  formBody,
  nestedPayload,
} from '../support/webhook.fixtures.js';
import { post, startWebhookAppOn, type WebhookApp } from '../support/webhook-app.harness.js';

describe('encrypted webhooks end to end', () => {
  let mock: SecPaidMockServer;
  let web: WebhookApp;
  let webhookUrl: string;
  /** A paid link whose webhook was not sent: the API shows it, so only the body decides. */
  let paidLink: number;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false, accounts: [{ encryptionKey: KEY }] });
    web = await startWebhookAppOn(mock, { encryptionKey: KEY });
    webhookUrl = `${web.origin}/secpaid/webhook`;
    paidLink = await newLink(25);
    await mock.pay(paidLink, { sendWebhooks: false });
  });

  afterAll(async () => {
    await web?.close();
    await mock?.stop();
  });

  beforeEach(() => {
    web.handler.events.length = 0;
  });

  async function newLink(amount: number): Promise<number> {
    const link = await web.service.createLink({ amount, note: 'Enc', paymentEndpoint: webhookUrl });
    return link.id;
  }

  it('a webhook encrypted by the mock server is decrypted, confirmed and dispatched once', async () => {
    const linkId = await newLink(33.3);
    const { deliveries } = await mock.pay(linkId);
    expect(deliveries[0].encrypted).toBe(true);
    expect(deliveries[0].body).not.toContain(String(linkId));
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    expect(web.handler.events).toMatchObject([
      { type: 'payment.succeeded', payId: linkId, amount: 33.3, encrypted: true, confirmed: true },
    ]);
  });

  it('a payload encrypted independently in the test (JSON and form envelopes) is accepted', async () => {
    const json = JSON.stringify({
      data: encrypt(JSON.stringify(bracketPayload(paidLink, '25.00'))),
    });
    const first = await post(webhookUrl, json, JSON_TYPE);
    expect(first.status).toBe(200);
    const form = new URLSearchParams({
      data: encrypt(JSON.stringify(nestedPayload(paidLink, 25))),
    });
    const second = await post(webhookUrl, form.toString(), FORM_TYPE);
    expect(second.status).toBe(200); // a duplicate by then: acknowledged, not dispatched again
    expect(web.handler.events).toMatchObject([
      { payId: paidLink, amount: 25, encrypted: true, confirmed: true },
    ]);
  });

  const good = (): string => encrypt(JSON.stringify(nestedPayload(paidLink, 25)));
  const bad: [string, () => string][] = [
    ['wrong key', () => encrypt(JSON.stringify(nestedPayload(paidLink, 25)), OTHER_KEY)],
    ['truncated ciphertext', () => good().slice(0, -6)],
    ['bad base64', () => `%%${good().slice(2)}`],
    ['bad padding', () => encrypt(BAD_PADDING_PLAINTEXT, KEY, false)],
    ['non-JSON plaintext', () => encrypt('pay_id=1&status=success')],
    ['wrong types inside', () => encrypt(JSON.stringify(nestedPayload(paidLink, [25] as never)))],
    [
      'missing pay_id inside',
      () => encrypt(JSON.stringify({ ResponseCode: 1, data: { amount: 25, status: 'Success' } })),
    ],
  ];
  it.each(bad)('%s -> 400 with the generic message, no handler', async (_name, data) => {
    const answer = await post(webhookUrl, JSON.stringify({ data: data() }), JSON_TYPE);
    expect(answer.status).toBe(400);
    expect(answer.json().message).toBe(SECPAID_WEBHOOK_INVALID_MESSAGE);
    expect(web.handler.events).toHaveLength(0);
  });

  it('all rejections share one body, so they cannot be told apart', async () => {
    const bodies = new Set<string>();
    for (const [, data] of bad) {
      bodies.add((await post(webhookUrl, JSON.stringify({ data: data() }), JSON_TYPE)).body);
    }
    expect(bodies.size).toBe(1);
  });

  it('unencrypted webhooks are rejected once a key is configured', async () => {
    for (const [body, type] of [
      [JSON.stringify(nestedPayload(paidLink, 25)), JSON_TYPE],
      [formBody(paidLink, 25), FORM_TYPE],
    ]) {
      const answer = await post(webhookUrl, body, type);
      expect(answer.status).toBe(400);
    }
    expect(web.handler.events).toHaveLength(0);
  });
});
