import { SecPaidWebhookError } from '../../core/secpaid.errors.js';

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
