/** The two events SecPaid posts to a payment endpoint. */
export const SECPAID_WEBHOOK_EVENT_TYPES = ['payment.succeeded', 'payment.cancelled'] as const;

/** `payment.succeeded` (the customer paid) or `payment.cancelled` (the customer pressed cancel). */
export type SecPaidWebhookEventType = (typeof SECPAID_WEBHOOK_EVENT_TYPES)[number];

/**
 * Dispatched (never parsed from a body) when a pending `payment.succeeded` was not confirmed by
 * the API within `webhooks.pendingPeriodMs`. Only handlers that name it receive it: a catch-all
 * handler never does, so "anything but cancelled" cannot be mistaken for "paid".
 */
export const SECPAID_WEBHOOK_UNCONFIRMED = 'payment.unconfirmed';

/** Every type a handler can receive: the two webhook events plus `payment.unconfirmed`. */
export type SecPaidWebhookDispatchType =
  SecPaidWebhookEventType | typeof SECPAID_WEBHOOK_UNCONFIRMED;

/**
 * A SecPaid webhook, normalised from whichever documented shape it arrived in.
 * @publicApi
 */
export interface SecPaidWebhookEvent {
  /**
   * What happened. `payment.unconfirmed` only reaches handlers that ask for it by name (see
   * {@link SECPAID_WEBHOOK_UNCONFIRMED}); the parser never produces it.
   */
  type: SecPaidWebhookDispatchType;
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
   * amount. Always false from `parseSecPaidWebhook` and for `payment.cancelled` (no endpoint
   * shows cancellations).
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

/** Options of `parseSecPaidWebhook`. */
export interface ParseSecPaidWebhookOptions {
  /** The request's `Content-Type` header (JSON and form-urlencoded are accepted). */
  contentType?: string;
  /** The 32-character `EncryptionKey`. When set, unencrypted bodies are rejected. */
  encryptionKey?: string;
}
