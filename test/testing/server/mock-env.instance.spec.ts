import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { secpaidConfigFor, secpaidEnvPrefixOf } from '../../../lib/index.js';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import { mockEnvPrefixOf } from '../../../lib/testing/server/module-options.factory.js';

const ENC_KEY = 'ThisIsA32CharacterEncryptionKey!';

/**
 * `mock.env({ account?, instance? })`. The mock imports nothing from the client, so it keeps its
 * own copy of the instance-name rule and the `SECPAID_<NAME>_` prefix: these specs prove the
 * copy and `secpaidEnvPrefixOf` (lib/options) agree, and that `secpaidConfigFor(name)` reads
 * exactly what the mock writes.
 */
describe('mock.env() for named instances', () => {
  let mock: SecPaidMockServer;
  const written: string[] = [];

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({
      accounts: [{}, { encryptionKey: ENC_KEY }],
    });
  });
  afterAll(() => mock.stop());
  afterEach(() => {
    for (const name of written.splice(0)) delete process.env[name];
  });

  it('keeps the numeric and account forms (default SECPAID_* variables)', () => {
    expect(mock.env()).toEqual({
      SECPAID_API_KEY: mock.accounts[0].apiKey,
      SECPAID_ENVIRONMENT: 'development',
      SECPAID_BASE_URL: mock.baseUrl,
    });
    expect(mock.env(1)).toEqual(mock.env(mock.accounts[1]));
    expect(mock.env({ account: 1 })).toEqual(mock.env(1));
    expect(mock.env({})).toEqual(mock.env());
  });

  it('writes SECPAID_<NAME>_* for an instance, with the account key and its encryption key', () => {
    expect(mock.env({ account: 1, instance: 'merchant-b' })).toEqual({
      SECPAID_MERCHANT_B_API_KEY: mock.accounts[1].apiKey,
      SECPAID_MERCHANT_B_ENVIRONMENT: 'development',
      SECPAID_MERCHANT_B_BASE_URL: mock.baseUrl,
      SECPAID_MERCHANT_B_WEBHOOK_ENCRYPTION_KEY: ENC_KEY,
    });
    expect(Object.keys(mock.env({ instance: 'shop2' }))).toEqual([
      'SECPAID_SHOP2_API_KEY',
      'SECPAID_SHOP2_ENVIRONMENT',
      'SECPAID_SHOP2_BASE_URL',
    ]);
  });

  it('secpaidConfigFor(name) reads back exactly the options of the chosen account', () => {
    const variables = mock.env({ account: 1, instance: 'merchant-b' });
    written.push(...Object.keys(variables));
    Object.assign(process.env, variables);
    expect(secpaidConfigFor('merchant-b')()).toEqual({
      apiKey: mock.accounts[1].apiKey,
      environment: 'development',
      baseUrl: mock.baseUrl,
      webhooks: { encryptionKey: ENC_KEY },
    });
  });

  it('has the prefix rule of secpaidEnvPrefixOf for every name (valid and invalid)', () => {
    const outcome = (prefixOf: (name: string) => string, name: string): string => {
      try {
        return prefixOf(name);
      } catch {
        return 'refused';
      }
    };
    const names = fc.oneof(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,70}$/),
      fc.string({ maxLength: 70 }),
      fc.constantFrom(
        '',
        '1abc',
        '-a',
        'a b',
        'a.b',
        'ä',
        'merchant-b',
        'A'.repeat(64),
        'A'.repeat(65),
      ),
    );
    fc.assert(
      fc.property(names, (name) => {
        expect(outcome(mockEnvPrefixOf, name)).toBe(outcome(secpaidEnvPrefixOf, name));
      }),
      { numRuns: 2000 },
    );
    expect(mockEnvPrefixOf(undefined)).toBe('SECPAID_');
  });

  it('refuses an invalid instance name and an unknown account with clear errors', () => {
    expect(() => mock.env({ instance: 'merchant b' })).toThrow(/instance must start with a letter/);
    expect(() => mock.env({ account: 5, instance: 'ok' })).toThrow(/no account 5/);
  });
});
