import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import {
  SecPaidAuthenticationError,
  SecPaidModule,
  SecPaidService,
  parseSecPaidWebhook,
  secpaidConfig,
} from '../../lib/index.js';
import { SecPaidMockServer, buildMockWebhook } from '../../lib/testing/index.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.helper.js';

const KEY_32 = 'k'.repeat(16) + 'K'.repeat(16);

/** Boots SecPaidModule with `imports`' options and creates one link; closes the module. */
async function createLinkWith(module: ReturnType<typeof SecPaidModule.forRoot>) {
  const testing = await Test.createTestingModule({ imports: [module] }).compile();
  try {
    return await testing.get(SecPaidService).createLink({ amount: 3.5, note: 'wiring' });
  } finally {
    await testing.close();
  }
}

describe('mock.moduleOptions() and mock.env()', () => {
  let mock: SecPaidMockServer;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({
      rateLimit: false,
      accounts: [{}, { encryptionKey: KEY_32 }, { environment: 'production' }],
    });
  });
  afterAll(() => mock.stop());

  it('wires the first account by default', async () => {
    expect(mock.moduleOptions()).toEqual({
      apiKey: mock.accounts[0].apiKey,
      environment: 'development',
      baseUrl: mock.baseUrl,
    });
    const link = await createLinkWith(SecPaidModule.forRoot(mock.moduleOptions()));
    expect(mock.links.find((l) => l.id === link.id)?.userId).toBe(mock.accounts[0].userId);
  });

  it('wires a given account, by index or by the account itself', async () => {
    const byIndex = await createLinkWith(SecPaidModule.forRoot(mock.moduleOptions({}, 1)));
    const byAccount = await createLinkWith(
      SecPaidModule.forRoot(mock.moduleOptions({}, mock.accounts[1])),
    );
    for (const link of [byIndex, byAccount]) {
      expect(mock.links.find((l) => l.id === link.id)?.userId).toBe(mock.accounts[1].userId);
    }
  });

  it("uses the account's own environment, so a key of the other one fails as in reality", async () => {
    expect(mock.moduleOptions({}, 2).environment).toBe('production');
    await expect(createLinkWith(SecPaidModule.forRoot(mock.moduleOptions({}, 2)))).rejects.toThrow(
      SecPaidAuthenticationError,
    );
  });

  it('merges overrides and fills in the encryption key of an encrypting account', () => {
    const options = mock.moduleOptions({ timeoutMs: 1234, webhooks: { path: 'hooks' } }, 1);
    expect(options).toEqual({
      apiKey: mock.accounts[1].apiKey,
      environment: 'development',
      baseUrl: mock.baseUrl,
      timeoutMs: 1234,
      webhooks: { path: 'hooks', encryptionKey: KEY_32 },
    });
    // An explicit key and a plain account are left as given.
    expect(mock.moduleOptions({ webhooks: { encryptionKey: 'x'.repeat(32) } }, 1).webhooks).toEqual(
      { encryptionKey: 'x'.repeat(32) },
    );
    expect(mock.moduleOptions({ webhooks: {} }).webhooks).toEqual({});
  });

  it('rejects an account index the mock does not have', () => {
    expect(() => mock.moduleOptions({}, 3)).toThrow(/has 3 account\(s\); there is no account 3/);
    expect(() => mock.env(-1)).toThrow(RangeError);
    expect(() => mock.env(0.5)).toThrow(RangeError);
  });

  describe('env()', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const name of Object.keys(process.env)) {
        if (name.startsWith('SECPAID_') && !(name in saved)) delete process.env[name];
      }
    });

    it('gives the SECPAID_* variables secpaidConfig reads', async () => {
      expect(mock.env()).toEqual({
        SECPAID_API_KEY: mock.accounts[0].apiKey,
        SECPAID_ENVIRONMENT: 'development',
        SECPAID_BASE_URL: mock.baseUrl,
      });
      expect(mock.env(1)['SECPAID_WEBHOOK_ENCRYPTION_KEY']).toBe(KEY_32);
      Object.assign(process.env, mock.env());
      const link = await createLinkWith(SecPaidModule.forRootAsync(secpaidConfig.asProvider()));
      expect(mock.links.find((l) => l.id === link.id)?.userId).toBe(mock.accounts[0].userId);
    });
  });
});

describe('buildMockWebhook()', () => {
  let mock: SecPaidMockServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await mock.stop();
    await receiver.close();
  });

  /** Creates a link on the mock, pays or cancels it, and returns what the receiver got. */
  async function sentByMock(
    event: 'success' | 'cancel',
    options: { webhookFormat?: 'json' | 'form'; encrypt?: string } = {},
  ) {
    const service = await Test.createTestingModule({
      imports: [SecPaidModule.forRoot(mock.moduleOptions({ rateLimit: false }))],
    }).compile();
    try {
      const link = await service.get(SecPaidService).createLink({
        amount: 19.99,
        note: 'coffee',
        paymentEndpoint: `${receiver.url}/hook`,
        cancellable: true,
      });
      receiver.received.length = 0;
      if (event === 'success') await mock.pay(link.id, options);
      else await mock.cancel(link.id, options);
      return { link, received: receiver.received[0] };
    } finally {
      await service.close();
    }
  }

  it.each([
    ['success', 'json', undefined],
    ['success', 'form', undefined],
    ['cancel', 'json', undefined],
    ['cancel', 'form', undefined],
    ['success', 'json', KEY_32],
  ] as const)('builds the body the mock sends (%s, %s, key %s)', async (event, format, key) => {
    const { link, received } = await sentByMock(event, {
      webhookFormat: format,
      ...(key ? { encrypt: key } : {}),
    });
    const built = buildMockWebhook({
      payId: link.id,
      amount: 19.99,
      note: 'coffee',
      userId: mock.accounts[0].userId,
      event,
      format,
      ...(key ? { encryptionKey: key } : {}),
    });
    expect({ body: built.body, contentType: built.contentType }).toEqual({
      body: received.body,
      contentType: received.contentType,
    });
    expect(built.encrypted).toBe(key !== undefined);
  });

  it('parses into the event a handler receives', () => {
    const plain = buildMockWebhook({ payId: 7, amount: 12.5 });
    expect(plain.headers['content-type']).toBe('application/json');
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
