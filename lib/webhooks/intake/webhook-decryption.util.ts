import { SecPaidSecret } from '../../core/secret.value.js';
import { createDecipheriv } from 'node:crypto';
import { SecPaidConfigurationError, SecPaidWebhookError } from '../../core/secpaid.errors.js';
import { decodeWebhookText } from './webhook-body.decoder.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const AES_BLOCK_BYTES = 16;

/**
 * Turns the 32-character `EncryptionKey` into the AES-256 key bytes (the characters taken as
 * UTF-8, as SecPaid's PHP example does). A key of any other byte length is a configuration
 * error, raised at start-up by the module.
 */
export function toSecPaidEncryptionKey(encryptionKey: string | SecPaidSecret): Buffer {
  // Revealed for the cipher only; the Buffer lives as long as one parse.
  const key = Buffer.from(SecPaidSecret.of(encryptionKey).reveal(), 'utf8');
  if (key.length !== 32) {
    throw new SecPaidConfigurationError([
      { field: 'webhooks.encryptionKey', message: 'must be exactly 32 bytes (the AES-256 key)' },
    ]);
  }
  return key;
}

/**
 * Decrypts the base64 `data` of an encrypted webhook: AES-256-CBC, IV = the key's first 16
 * bytes, PKCS#7 padding, UTF-8 plaintext. Every failure (base64, length, padding, encoding)
 * throws the same `SecPaidWebhookError`, so the answer cannot serve as a padding oracle.
 */
export function decryptSecPaidWebhookData(data: string, key: Buffer): string {
  // A form body decodes "+" to a space; base64 never contains spaces, so undo that.
  const base64 = data.replace(/ /g, '+');
  if (base64.length === 0 || !BASE64.test(base64)) throw new SecPaidWebhookError();
  const ciphertext = Buffer.from(base64, 'base64');
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK_BYTES !== 0) {
    throw new SecPaidWebhookError();
  }
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, AES_BLOCK_BYTES));
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return decodeWebhookText(plaintext);
  } catch {
    throw new SecPaidWebhookError();
  }
}
