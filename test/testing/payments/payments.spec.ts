import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import { callApi, dataOf } from '../../support/mock-api.client.js';
import {
  answerStatus,
  startRecordingServer,
  type RecordingServer,
} from '../../support/loopback-server.js';

const KEY = 'payKey0123456789abcdefghijklmnop';
const ENC_KEY = 'ThisIsA32CharacterEncryptionKey!';
const LINK_KEY = 'AnotherKeyOf32CharactersForLinks';
const USER_ID = 'a95a452a-2c74-465c-b63b-81d73a7a755d';

function decrypt(base64: string, key: string): unknown {
  const keyBytes = Buffer.from(key, 'utf8');
  const decipher = createDecipheriv('aes-256-cbc', keyBytes, keyBytes.subarray(0, 16));
  const plain = Buffer.concat([decipher.update(Buffer.from(base64, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}

/** The documented nested JSON webhook of a paid 49.99 link (plaintext, before any encryption). */
function successPayload(payId: number): unknown {
  return {
    ResponseCode: 1,
    data: {
      pay_id: payId,
      note: 'Invoice #1234',
      amount: 49.99,
      user_id: USER_ID,
      status: 'Success',
    },
  };
}

describe('SecPaidMockServer payments and webhooks', () => {
  let mock: SecPaidMockServer;
  let receiver: RecordingServer;
  let hooks: { a: string; b: string; c: string };
  const createLink = async (body: Record<string, unknown> = {}): Promise<number> => {
    const result = await callApi(
      mock.baseUrl,
      'createLink',
      { amount: 49.99, recipient_note: 'Invoice #1234', ...body },
      KEY,
    );
    expect(result.status).toBe(200);
    return dataOf(result).id as number;
  };

  beforeAll(async () => {
    receiver = await startRecordingServer(answerStatus(200));
    hooks = {
      a: `${receiver.baseUrl}/hook-a`,
      b: `${receiver.baseUrl}/hook-b`,
      c: `${receiver.baseUrl}/hook-c`,
    };
    mock = await SecPaidMockServer.start({
      accounts: [
        {
          apiKey: KEY,
          userId: USER_ID,
          paymentEndpoints: [hooks.a, hooks.b],
          callbackUrls: ['https://shop.example/callback', 'https://shop.example/other?x=1'],
        },
      ],
      rateLimit: false,
    });
  });
  afterAll(async () => {
    await mock.stop();
    await receiver.close();
  });
  beforeEach(() => {
    mock.reset();
    receiver.requests.length = 0;
    receiver.respondWith(answerStatus(200));
    delete mock.accounts[0].encryptionKey;
  });

  it('pay() marks the link Used, records a pay-in and POSTs the form body SecPaid sends to the account default endpoint', async () => {
    const id = await createLink();
    const result = await mock.pay(id);
    expect(mock.links[0].status).toBe('Used');
    expect(mock.payIns).toEqual([
      expect.objectContaining({
        payId: id,
        amount: 49.99,
        status: 'Success',
        paymentMethod: 'card',
      }),
    ]);
    expect(receiver.requests).toHaveLength(1);
    const [hook] = receiver.requests;
    expect(hook.url).toBe('/hook-a');
    expect(hook.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // docs/secpaid-api.md §4.4: what SecPaid's plugin reads with parse_str, `Success` exactly.
    expect(hook.body).toBe(
      `ResponseCode=1&data%5Bpay_id%5D=${id}&data%5Bamount%5D=49.99&data%5Buser_id%5D=${USER_ID}&data%5Bstatus%5D=Success`,
    );
    expect(result.deliveries).toEqual([
      expect.objectContaining({
        id: 1,
        url: hooks.a,
        status: 200,
        event: 'success',
        format: 'form',
        encrypted: false,
        userId: USER_ID,
        body: hook.body,
        durationMs: expect.any(Number),
        sentAt: expect.any(Date),
      }),
    ]);
    expect(mock.webhookDeliveries).toHaveLength(1);
    expect(result.redirectUrl).toBe(
      `https://shop.example/callback?pay_id=${id}&user_id=${USER_ID}&status=success`,
    );
  });

  it('fires every endpoint of a comma-separated per-link mix of indices and URLs', async () => {
    const id = await createLink({ payment_endpoint: `1,${hooks.c}` });
    await mock.pay(id);
    expect(receiver.requests.map((r) => r.url)).toEqual(['/hook-b', '/hook-c']);
  });

  it('sends the nested JSON shape on request', async () => {
    const id = await createLink({ payment_endpoint: hooks.c });
    const result = await mock.pay(id, { webhookFormat: 'json' });
    const [hook] = receiver.requests;
    expect(hook.headers['content-type']).toBe('application/json');
    expect(JSON.parse(hook.body)).toEqual(successPayload(id));
    expect(result.deliveries[0].format).toBe('json');
  });

  it('cancel() marks the link Cancelled, sends data[status]=cancel and redirects with status=cancel', async () => {
    const id = await createLink({ callback_url: '1' });
    const result = await mock.cancel(id);
    expect(mock.links[0].status).toBe('Cancelled');
    expect(mock.payIns).toHaveLength(0);
    const form = new URLSearchParams(receiver.requests[0].body);
    expect(form.get('data[status]')).toBe('cancel');
    expect(form.get('data[pay_id]')).toBe(String(id));
    expect(result.redirectUrl).toBe(
      `https://shop.example/other?x=1&pay_id=${id}&user_id=${USER_ID}&status=cancel`,
    );
  });

  it('cancel() sends the nested JSON shape on request and can skip webhooks', async () => {
    const id = await createLink();
    await mock.cancel(id, { webhookFormat: 'json' });
    expect(JSON.parse(receiver.requests[0].body)).toMatchObject({
      ResponseCode: 1,
      data: { pay_id: id, status: 'cancel' },
    });
    const quiet = await createLink();
    const result = await mock.cancel(quiet, { sendWebhooks: false });
    expect(result.deliveries).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('encrypts with the per-link key (is_encryption + encryption_key) as documented', async () => {
    const id = await createLink({ is_encryption: 'true', encryption_key: LINK_KEY });
    const result = await mock.pay(id);
    const body = JSON.parse(receiver.requests[0].body) as { data: string };
    expect(Object.keys(body)).toEqual(['data']);
    expect(typeof body.data).toBe('string');
    expect(decrypt(body.data, LINK_KEY)).toEqual(successPayload(id));
    expect(result.deliveries[0].encrypted).toBe(true);
  });

  it('encrypts with the account key, and with a key given to pay()', async () => {
    mock.accounts[0].encryptionKey = ENC_KEY;
    const first = await createLink();
    await mock.pay(first);
    const accountBody = JSON.parse(receiver.requests[0].body) as { data: string };
    expect(decrypt(accountBody.data, ENC_KEY)).toMatchObject({ data: { pay_id: first } });

    delete mock.accounts[0].encryptionKey;
    const second = await createLink();
    await mock.pay(second, { encrypt: LINK_KEY });
    const optionBody = JSON.parse(receiver.requests[1].body) as { data: string };
    expect(decrypt(optionBody.data, LINK_KEY)).toMatchObject({ data: { pay_id: second } });

    const third = await createLink();
    await expect(mock.pay(third, { encrypt: true })).rejects.toThrow(/encryption key/);
  });

  it('records a failing receiver without rejecting', async () => {
    receiver.respondWith(answerStatus(500));
    const id = await createLink({ payment_endpoint: `${hooks.a},http://127.0.0.1:1/unreachable` });
    const result = await mock.pay(id);
    expect(result.deliveries[0]).toMatchObject({ url: hooks.a, status: 500 });
    expect(result.deliveries[1].status).toBeUndefined();
    expect(result.deliveries[1].error).toEqual(expect.any(String));
    expect(mock.links[0].status).toBe('Used');
  });

  it('rejects paying or cancelling a link twice, unknown links and non-cancellable links', async () => {
    const id = await createLink();
    await mock.pay(id);
    await expect(mock.pay(id)).rejects.toThrow(/Used/);
    await expect(mock.cancel(id)).rejects.toThrow(/Used/);
    await expect(mock.pay(987654)).rejects.toThrow(/not found/);
    const fixed = await createLink({ cancellable: false });
    await expect(mock.cancel(fixed)).rejects.toThrow(/not cancellable/);
  });

  describe('without callback URLs or payment endpoints', () => {
    let bare: SecPaidMockServer;
    beforeAll(async () => {
      bare = await SecPaidMockServer.start({ accounts: [{ apiKey: KEY }], rateLimit: false });
    });
    afterAll(async () => {
      await bare.stop();
    });

    it("redirects to the mock's own result page and sends no webhook", async () => {
      const id = dataOf(await callApi(bare.baseUrl, 'createLink', { amount: 5 }, KEY)).id as number;
      const result = await bare.pay(id);
      expect(result.deliveries).toEqual([]);
      expect(result.redirectUrl).toBe(
        `${bare.baseUrl}/payment/result?pay_id=${id}&user_id=${bare.accounts[0].userId}&status=success`,
      );
      const page = await fetch(result.redirectUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Payment successful');
    });
  });

  describe('hosted payment page', () => {
    it('shows amount, note and Pay/Cancel buttons', async () => {
      const id = await createLink({ recipient_note: 'Order <42>' });
      const response = await fetch(mock.links[0].payLink);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      expect(html).toContain('49.99 EUR');
      expect(html).toContain('Order &lt;42&gt;');
      expect(html).toContain('id="pay"');
      expect(html).toContain('id="cancel"');
      expect(id).toBe(mock.links[0].id);
    });

    it('hides Cancel for non-cancellable links', async () => {
      await createLink({ cancellable: 'false' });
      const html = await (await fetch(mock.links[0].payLink)).text();
      expect(html).not.toContain('id="cancel"');
    });

    it('Pay submits, fires the webhook and redirects to the callback URL', async () => {
      const id = await createLink();
      const encoded = Buffer.from(String(id)).toString('base64');
      const response = await fetch(`${mock.baseUrl}/payment/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ link_id: encoded }).toString(),
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(
        `https://shop.example/callback?pay_id=${id}&user_id=${USER_ID}&status=success`,
      );
      expect(mock.links[0].status).toBe('Used');
      expect(receiver.requests).toHaveLength(1);
      const again = await fetch(mock.links[0].payLink);
      expect(await again.text()).toContain('This link is used');
    });

    it('Cancel submits and redirects with status=cancel', async () => {
      const id = await createLink();
      const response = await fetch(`${mock.baseUrl}/payment/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `link_id=${encodeURIComponent(Buffer.from(String(id)).toString('base64'))}`,
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toContain('status=cancel');
      expect(mock.links[0].status).toBe('Cancelled');
    });

    it('answers 404 for unknown links', async () => {
      const response = await fetch(
        `${mock.baseUrl}/payment?link_id=${Buffer.from('5').toString('base64')}`,
      );
      expect(response.status).toBe(404);
      await response.text();
    });
  });
});
