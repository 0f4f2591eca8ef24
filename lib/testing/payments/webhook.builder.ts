/**
 * Webhook bodies exactly as SecPaidMockServer sends them, without a running mock: for unit tests
 * of `@SecPaidWebhookHandler` methods and of code that calls `parseSecPaidWebhook`.
 */
import {
  buildWebhookBody,
  defaultWebhookFormat,
  webhookRequestHeaders,
  type MockWebhookEvent,
} from './webhook.sender.js';
import type { MockWebhookFormat } from '../secpaid-mock.types.js';

/** What the webhook reports; the mock's defaults where a field is left out. */
export interface MockWebhookInput {
  /** The link / pay id (`data.pay_id`). */
  payId: number;
  /** The amount in EUR (`data.amount`). */
  amount: number;
  /** `data.user_id`; default `'00000000-0000-4000-8000-000000000000'`. */
  userId?: string;
  /** `data.note` (JSON shapes only, as the mock); default `''`. */
  note?: string;
  /** `'success'` (default, `Success`), `'cancel'` or `'failed'` (`Failed`). */
  event?: MockWebhookEvent;
  /**
   * `'form'` (bracket keys, form-urlencoded) or `'json'` (nested `data`). Default, as the mock
   * sends it: `'form'`, or `'json'` with an `encryptionKey`.
   */
  format?: MockWebhookFormat;
  /**
   * The account's 32-character key: the body becomes `{"data":"<base64>"}` (AES-256-CBC), or
   * `data=<base64>` form-encoded with `format: 'form'`.
   */
  encryptionKey?: string;
}

/** A webhook request body, with the headers the mock sends it with. */
export interface MockWebhook {
  /** The raw body, as it arrives at the receiver. */
  body: string;
  /** The `Content-Type` header value. */
  contentType: string;
  /** Whether `body` is the encrypted form. */
  encrypted: boolean;
  /** The request headers the mock sends (`content-type`, `accept`, `user-agent`). */
  headers: Record<string, string>;
}

const DEFAULT_USER_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Builds the webhook body the mock would POST for a payment: form-encoded (the default, as the
 * mock sends it), plain JSON, or encrypted. Throws a `TypeError` for a pay id that is not a positive integer, an amount that is
 * not a finite number, or an encryption key that is not 32 bytes.
 *
 * @example
 * ```ts
 * const webhook = buildMockWebhook({ payId: 42, amount: 12.5 });
 * const event = parseSecPaidWebhook(webhook.body, { contentType: webhook.contentType });
 * ```
 */
export function buildMockWebhook(input: MockWebhookInput): MockWebhook {
  if (!Number.isSafeInteger(input.payId) || input.payId <= 0) {
    throw new TypeError('payId must be a positive integer');
  }
  if (typeof input.amount !== 'number' || !Number.isFinite(input.amount)) {
    throw new TypeError('amount must be a finite number');
  }
  if (input.encryptionKey !== undefined && Buffer.byteLength(input.encryptionKey) !== 32) {
    throw new TypeError('encryptionKey must be exactly 32 bytes (the AES-256 key)');
  }
  const built = buildWebhookBody(
    {
      id: input.payId,
      amount: input.amount,
      userId: input.userId ?? DEFAULT_USER_ID,
      note: input.note ?? '',
    },
    input.event ?? 'success',
    input.format ?? defaultWebhookFormat(input.encryptionKey !== undefined),
    input.encryptionKey,
  );
  return {
    ...built,
    headers: webhookRequestHeaders(built.contentType),
  };
}
