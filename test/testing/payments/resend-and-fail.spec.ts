import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import {
  answerStatus,
  startRecordingServer,
  type RecordingServer,
} from '../../support/loopback-server.js';
import { callApi, dataOf } from '../../support/mock-api.client.js';

const KEY = 'failKey0123456789abcdefghijklmno';
const ENC_KEY = 'ThisIsA32CharacterEncryptionKey!';

/** `fail()` and `resendWebhook()`, and what the delivery log records of the app's answer. */
describe('SecPaidMockServer fail() and resendWebhook()', () => {
  let mock: SecPaidMockServer;
  let receiver: RecordingServer;
  let other: RecordingServer;

  const createLink = async (body: Record<string, unknown> = {}): Promise<number> =>
    dataOf(await callApi(mock.baseUrl, 'createLink', { amount: 12.5, ...body }, KEY)).id as number;

  beforeAll(async () => {
    receiver = await startRecordingServer(answerStatus(200));
    other = await startRecordingServer(answerStatus(202));
    mock = await SecPaidMockServer.start({
      rateLimit: false,
      accounts: [
        {
          apiKey: KEY,
          paymentEndpoints: [`${receiver.baseUrl}/hook`],
          callbackUrls: ['https://shop.example/back'],
        },
      ],
    });
  });
  afterAll(async () => {
    await mock.stop();
    await receiver.close();
    await other.close();
  });
  beforeEach(() => {
    mock.reset();
    receiver.requests.length = 0;
    other.requests.length = 0;
    receiver.respondWith(answerStatus(200));
    delete mock.accounts[0].encryptionKey;
  });

  it('fail() sends data[status]=Failed, keeps the link Unused and payable, redirects with status=failed', async () => {
    const id = await createLink();
    const result = await mock.fail(id);
    const form = new URLSearchParams(receiver.requests[0].body);
    expect(receiver.requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form.get('data[status]')).toBe('Failed');
    expect(form.get('data[pay_id]')).toBe(String(id));
    expect(result.redirectUrl).toBe(
      `https://shop.example/back?pay_id=${id}&user_id=${mock.accounts[0].userId}&status=failed`,
    );
    expect(result.deliveries).toEqual([
      expect.objectContaining({ event: 'failed', status: 200, format: 'form' }),
    ]);
    expect(mock.links[0]).toMatchObject({ status: 'Unused', failedAt: expect.any(Date) });
    expect(mock.payIns).toEqual([]);
    // The payer may try again: the link is still payable.
    await mock.pay(id);
    expect(mock.links[0].status).toBe('Used');
  });

  it('fail() sends nested JSON with "Failed" on request, and refuses links that are not Unused', async () => {
    const id = await createLink();
    await mock.fail(id, { webhookFormat: 'json' });
    expect(JSON.parse(receiver.requests[0].body)).toMatchObject({
      ResponseCode: 1,
      data: { pay_id: id, status: 'Failed' },
    });
    await mock.pay(id);
    await expect(mock.fail(id)).rejects.toThrow(/Used, not Unused/);
    await expect(mock.fail(999999)).rejects.toThrow(/not found/);
  });

  it('the hosted page offers Fail: its form sends the Failed webhook and redirects with status=failed', async () => {
    const id = await createLink();
    const payLink = mock.links[0].payLink;
    const page = await (await fetch(payLink)).text();
    expect(page).toContain('<button type="submit" id="fail">Fail</button>');
    const linkId = new URL(payLink).searchParams.get('link_id') ?? '';
    const answer = await fetch(`${mock.baseUrl}/payment/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `link_id=${encodeURIComponent(linkId)}`,
      redirect: 'manual',
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(
      `https://shop.example/back?pay_id=${id}&user_id=${mock.accounts[0].userId}&status=failed`,
    );
    expect(new URLSearchParams(receiver.requests[0].body).get('data[status]')).toBe('Failed');
  });

  it('resendWebhook() posts the same bytes and headers again and records the app answer', async () => {
    const id = await createLink();
    const [first] = (await mock.pay(id)).deliveries;
    receiver.respondWith(answerStatus(503));
    const again = await mock.resendWebhook(first.id);
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1].body).toBe(receiver.requests[0].body);
    expect(receiver.requests[1].headers['content-type']).toBe(
      receiver.requests[0].headers['content-type'],
    );
    expect(again).toMatchObject({
      id: first.id + 1,
      resendOf: first.id,
      event: 'success',
      payId: id,
      url: first.url,
      format: 'form',
      body: first.body,
      status: 503,
    });
    expect(mock.webhookDeliveries.map((d) => [d.id, d.status])).toEqual([
      [first.id, 200],
      [again.id, 503],
    ]);
  });

  it('resendWebhook(id, { url }) sends the same body to another URL', async () => {
    const id = await createLink();
    const [first] = (await mock.pay(id, { webhookFormat: 'json' })).deliveries;
    const moved = await mock.resendWebhook(first.id, { url: `${other.baseUrl}/elsewhere` });
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0].url).toBe('/elsewhere');
    expect(other.requests[0].body).toBe(first.body);
    expect(other.requests[0].headers['content-type']).toBe('application/json');
    expect(moved).toMatchObject({ url: `${other.baseUrl}/elsewhere`, status: 202, format: 'json' });
    expect(receiver.requests).toHaveLength(1);
  });

  it('resends an encrypted delivery as the same ciphertext, and records the decrypted body', async () => {
    mock.accounts[0].encryptionKey = ENC_KEY;
    const id = await createLink();
    const [first] = (await mock.pay(id)).deliveries;
    expect(first.encrypted).toBe(true);
    expect(first.format).toBe('json');
    expect(JSON.parse(first.decryptedBody ?? '')).toMatchObject({
      data: { pay_id: id, status: 'Success' },
    });
    await mock.resendWebhook(first.id);
    expect(receiver.requests[1].body).toBe(receiver.requests[0].body);
  });

  it('records an unreachable URL as an error, and refuses unknown ids', async () => {
    const id = await createLink();
    const [first] = (await mock.pay(id)).deliveries;
    const lost = await mock.resendWebhook(first.id, { url: 'http://127.0.0.1:1/closed' });
    expect(lost.status).toBeUndefined();
    expect(lost.error).toEqual(expect.any(String));
    const odd = await mock.resendWebhook(first.id, { url: 'file:///etc/passwd' });
    expect(odd.error).toMatch(/Invalid webhook URL/);
    await expect(mock.resendWebhook(12345)).rejects.toThrow(/Delivery 12345 not found/);
  });

  it('keeps the delivery log bounded like the request log', async () => {
    const small = await SecPaidMockServer.start({
      rateLimit: false,
      requestLog: { maxEntries: 3 },
      accounts: [{ apiKey: KEY, paymentEndpoints: [`${receiver.baseUrl}/hook`] }],
    });
    try {
      for (let i = 0; i < 5; i++) {
        const id = dataOf(await callApi(small.baseUrl, 'createLink', { amount: 1 }, KEY)).id;
        await small.pay(id as number);
      }
      expect(small.webhookDeliveries.map((d) => d.id)).toEqual([3, 4, 5]);
      await expect(small.resendWebhook(1)).rejects.toThrow(/most recent entries/);
    } finally {
      await small.stop();
    }
  });
});
