import { randomUUID } from 'node:crypto';
import { randomAlphanumeric } from '../api/wire-format.util.js';
import type { MockAccount, MockAccountSeed, MockEnvironment } from '../secpaid-mock.types.js';

/** Fills the missing fields of an account seed (a 32-character alphanumeric key, a UUID, ...). */
export function createMockAccount(
  seed: MockAccountSeed,
  defaultEnvironment: MockEnvironment,
): MockAccount {
  const userId = seed.userId ?? randomUUID();
  const account: MockAccount = {
    apiKey: seed.apiKey ?? randomAlphanumeric(32),
    userId,
    recipientToken: seed.recipientToken ?? `mock-recipient-${userId.slice(0, 8)}`,
    callbackUrls: [...(seed.callbackUrls ?? [])],
    paymentEndpoints: [...(seed.paymentEndpoints ?? [])],
    environment: seed.environment ?? defaultEnvironment,
  };
  if (seed.encryptionKey !== undefined) {
    assertEncryptionKey(seed.encryptionKey);
    account.encryptionKey = seed.encryptionKey;
  }
  return account;
}

/** SecPaid's EncryptionKey is a 32-character string used as the raw AES-256 key. */
export function assertEncryptionKey(key: string): void {
  if (Buffer.byteLength(key, 'utf8') !== 32) {
    throw new Error('A SecPaid encryption key must be exactly 32 bytes (32 ASCII characters)');
  }
}
