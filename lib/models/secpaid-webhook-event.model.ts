import type { SecPaidSecret } from '../core/secret.value.js';

/**
 * The events a SecPaid webhook body is parsed into: `payment.succeeded` (status `Success`),
 * `payment.cancelled` (`cancel`/`cancelled`), `payment.failed` (`Failed`) and `payment.unknown`
 * (any other status, kept in `event.status`). Only the first two reach a handler that names no
 * type; the others are never a payment and go to handlers that ask for them by name.
 */
export const SECPAID_WEBHOOK_EVENT_TYPES = [
  'payment.succeeded',
  'payment.cancelled',
  'payment.failed',
  'payment.unknown',
] as const;

/** A type parsed from a webhook body (see {@link SECPAID_WEBHOOK_EVENT_TYPES}). */
export type SecPaidWebhookEventType = (typeof SECPAID_WEBHOOK_EVENT_TYPES)[number];

/** The types a handler that names no type receives: the customer paid, or pressed cancel. */
export const SECPAID_WEBHOOK_DEFAULT_TYPES: readonly SecPaidWebhookEventType[] = [
  'payment.succeeded',
  'payment.cancelled',
];

/**
 * Dispatched (never parsed from a body) when a pending `payment.succeeded` was not confirmed by
 * the API within `webhooks.pendingPeriodMs`. Only handlers that name it receive it: a catch-all
 * handler never does, so "anything but cancelled" cannot be mistaken for "paid".
 */
export const SECPAID_WEBHOOK_UNCONFIRMED = 'payment.unconfirmed';

/** Every type a handler can receive: the parsed webhook types plus `payment.unconfirmed`. */
export type SecPaidWebhookDispatchType =
  SecPaidWebhookEventType | typeof SECPAID_WEBHOOK_UNCONFIRMED;

/**
 * A SecPaid webhook, normalised from whichever documented shape it arrived in.
 * @publicApi
 */
export interface SecPaidWebhookEvent {
  /**
   * What happened. `payment.failed`, `payment.unknown` and `payment.unconfirmed` only reach
   * handlers that ask for them by name; the parser never produces `payment.unconfirmed`.
   */
  type: SecPaidWebhookDispatchType;
  /** The status as sent, trimmed (`Success`, `Failed`, ...): what `payment.unknown` did not know. */
  status?: string;
  /** The payment link's id (`pay_id` / `linktopay_id`). */
  payId: number;
  /** Amount in EUR. On a confirmed event this is the API's figure, not the webhook's. */
  amount?: number;
  /** `user_id` as sent by SecPaid. */
  userId?: string;
  /** The link's note (`note`), possibly an empty string. */
  note?: string;
  /** True when the body was the AES-256-CBC `{"data":"<base64>"}` envelope. */
  encrypted: boolean;
  /**
   * True once `getPayInTransactions` has shown the payment with status Success and the same
   * amount. Always false from `parseSecPaidWebhook` and for every other type (no endpoint shows
   * cancelled or failed payments).
   */
  confirmed: boolean;
  /** The payload as received (decrypted when it was encrypted). */
  raw: Record<string, unknown>;
  /**
   * The SecPaid instance whose route received the webhook (`forRoot({ name })`, `'default'`
   * without a name). Set for handlers; `parseSecPaidWebhook` leaves it out.
   */
  instance?: string;
}

/** Body of the webhook route's 200 (dispatched or duplicate) or 202 (kept as pending) answer. */
export interface SecPaidWebhookReceipt {
  received: true;
  /** Set on a 202: the API does not show the payment yet; it is re-checked in the background. */
  pending?: true;
}

/** Options of `parseSecPaidWebhook`. */
export interface ParseSecPaidWebhookOptions {
  /** The request's `Content-Type` header (JSON and form-urlencoded are accepted). */
  contentType?: string;
  /** The 32-character `EncryptionKey`. When set, unencrypted bodies are rejected. */
  encryptionKey?: string | SecPaidSecret;
}
