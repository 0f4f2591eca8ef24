import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import {
  SecPaidAuthenticationError,
  SecPaidModule,
  SecPaidService,
  secpaidConfig,
} from '../../../lib/index.js';
import { SecPaidMockServer } from '../../../lib/testing/index.js';

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
