import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { SecPaidModule, SecPaidService, parseSecPaidWebhook } from '../../../lib/index.js';
import { SecPaidMockServer, buildMockWebhook } from '../../../lib/testing/index.js';
import {
  answerStatus,
  startRecordingServer,
  type RecordingServer,
} from '../../support/loopback-server.js';

const KEY_32 = 'k'.repeat(16) + 'K'.repeat(16);

describe('buildMockWebhook()', () => {
  let mock: SecPaidMockServer;
  let receiver: RecordingServer;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    receiver = await startRecordingServer(answerStatus(200));
  });
  afterAll(async () => {
    await mock.stop();
    await receiver.close();
  });

  /** Creates a link on the mock, pays or cancels it, and returns what the receiver got. */
  async function sentByMock(
    event: 'success' | 'cancel' | 'failed',
    options: { webhookFormat?: 'json' | 'form'; encrypt?: string } = {},
  ) {
    const service = await Test.createTestingModule({
      imports: [SecPaidModule.forRoot(mock.moduleOptions({ rateLimit: false }))],
    }).compile();
    try {
      const link = await service.get(SecPaidService).createLink({
        amount: 19.99,
        note: 'coffee',
        paymentEndpoint: `${receiver.baseUrl}/hook`,
        cancellable: true,
      });
      receiver.requests.length = 0;
      if (event === 'success') await mock.pay(link.id, options);
      else if (event === 'failed') await mock.fail(link.id, options);
      else await mock.cancel(link.id, options);
      return { link, received: receiver.requests[0]! };
    } finally {
      await service.close();
    }
  }

  it.each([
    ['success', 'json', undefined],
    ['success', 'form', undefined],
    ['cancel', 'json', undefined],
    ['cancel', 'form', undefined],
    ['failed', 'form', undefined],
    ['failed', 'json', undefined],
    ['success', 'json', KEY_32],
    ['success', undefined, undefined],
    ['success', undefined, KEY_32],
  ] as const)('builds the body the mock sends (%s, %s, key %s)', async (event, format, key) => {
    const { link, received } = await sentByMock(event, {
      ...(format ? { webhookFormat: format } : {}),
      ...(key ? { encrypt: key } : {}),
    });
    const built = buildMockWebhook({
      payId: link.id,
      amount: 19.99,
      note: 'coffee',
      userId: mock.accounts[0].userId,
      event,
      ...(format ? { format } : {}),
      ...(key ? { encryptionKey: key } : {}),
    });
    expect({ body: built.body, contentType: built.contentType }).toEqual({
      body: received.body,
      contentType: received.headers['content-type'],
    });
    expect(built.encrypted).toBe(key !== undefined);
  });

  it('parses into the event a handler receives', () => {
    const plain = buildMockWebhook({ payId: 7, amount: 12.5 });
    expect(plain.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(plain.body).get('data[status]')).toBe('Success');
    expect(parseSecPaidWebhook(plain.body, { contentType: plain.contentType })).toMatchObject({
      type: 'payment.succeeded',
      payId: 7,
      amount: 12.5,
      encrypted: false,
    });
    const form = buildMockWebhook({ payId: 8, amount: 1, event: 'cancel', format: 'form' });
    expect(parseSecPaidWebhook(form.body, { contentType: form.contentType })).toMatchObject({
      type: 'payment.cancelled',
      payId: 8,
    });
    const sealed = buildMockWebhook({ payId: 9, amount: 2, encryptionKey: KEY_32 });
    expect(sealed.body).not.toContain('pay_id');
    expect(
      parseSecPaidWebhook(sealed.body, { contentType: sealed.contentType, encryptionKey: KEY_32 }),
    ).toMatchObject({ type: 'payment.succeeded', payId: 9, encrypted: true });
  });

  it('rejects input the mock could never send', () => {
    expect(() => buildMockWebhook({ payId: 0, amount: 1 })).toThrow(TypeError);
    expect(() => buildMockWebhook({ payId: 1.5, amount: 1 })).toThrow(/payId/);
    expect(() => buildMockWebhook({ payId: 1, amount: Number.NaN })).toThrow(/amount/);
    expect(() => buildMockWebhook({ payId: 1, amount: 1, encryptionKey: 'short' })).toThrow(
      /32 bytes/,
    );
  });
});
