import { SecPaidWebhookError, SecPaidConfigurationError } from '../../core/secpaid.errors.js';
import { SecPaidSecret } from '../../core/secret.value.js';
import { createDecipheriv } from 'node:crypto';

/** A body decoded into its top-level keys, before any SecPaid meaning is given to them. */
export type WebhookRecord = Record<string, unknown>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Which parser a `Content-Type` selects. Without a header the body is sniffed: SecPaid's
 * documented bodies are either a JSON object or a form string.
 */
export function webhookBodyKind(contentType: string | undefined, text: string): 'json' | 'form' {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === '') return text.trimStart().startsWith('{') ? 'json' : 'form';
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  throw new SecPaidWebhookError();
}

/** Decodes bytes as strict UTF-8 (invalid sequences are rejected, not replaced). */
export function decodeWebhookText(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new SecPaidWebhookError();
  }
}

/** Parses a JSON object; arrays, scalars and malformed JSON are rejected. */
export function readJsonRecord(text: string): WebhookRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SecPaidWebhookError();
  }
  if (!isRecord(value)) throw new SecPaidWebhookError();
  return value;
}

/**
 * Parses `application/x-www-form-urlencoded` keeping bracket keys literal (`data[pay_id]`),
 * as PHP's `parse_str` receives them. A repeated key is ambiguous and rejected.
 */
export function readFormRecord(text: string): WebhookRecord {
  const record: WebhookRecord = {};
  const seen = new Set<string>();
  for (const [key, value] of new URLSearchParams(text)) {
    if (seen.has(key)) throw new SecPaidWebhookError();
    seen.add(key);
    // defineProperty keeps a key like "__proto__" an ordinary own property.
    Object.defineProperty(record, key, { value, enumerable: true, writable: true });
  }
  if (seen.size === 0) throw new SecPaidWebhookError();
  return record;
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is WebhookRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Decryption of the `data` field of an encrypted webhook (AES-256-CBC, SecPaid's scheme).

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
