/** Largest body the receiver reads. Real SecPaid webhooks are a few hundred bytes. */
export const SECPAID_WEBHOOK_MAX_BODY_BYTES = 64 * 1024;

/** The one message of every rejected webhook; details would help an attacker, not a sender. */
export const SECPAID_WEBHOOK_INVALID_MESSAGE = 'Invalid SecPaid webhook';

/** 409 answer while another delivery of the same event is being processed (sender retries). */
export const SECPAID_WEBHOOK_IN_PROGRESS_MESSAGE = 'SecPaid webhook is already being processed';

/** Metadata key of `@SecPaidWebhookHandler` (internal). */
export const SECPAID_WEBHOOK_HANDLER_METADATA = 'nestjs-secpaid:webhook-handler';

/** Injection token of the duplicate store (internal). */
export const SECPAID_WEBHOOK_DEDUPE_STORE = Symbol.for('nestjs-secpaid:webhook-dedupe-store');

/** Injection token of the webhook receiver's tunables (internal; tests shorten the delays). */
export const SECPAID_WEBHOOK_TUNING = Symbol.for('nestjs-secpaid:webhook-tuning');

/** Internal tunables of the webhook receiver. */
export interface SecPaidWebhookTuning {
  /**
   * Waits before each inline re-check of a payment the API does not show yet, in ms, while the
   * webhook request is open. The initial look-up is immediate; the list's length bounds them.
   */
  confirmRetryDelaysMs: readonly number[];
  /** Longest a webhook request waits for confirmation before it is kept as pending, in ms. */
  inlineConfirmMs: number;
  /** How long a dispatched event is remembered as a duplicate, in ms. */
  dedupeTtlMs: number;
  /** First background re-check of a pending payment, in ms after it arrived; then doubled. */
  firstRecheckMs: number;
  /** Longest wait between two background re-checks, in ms. */
  maxRecheckMs: number;
  /** Page size of the shared newest-first list call (SecPaid's default 200, max 1000). */
  confirmListLimit: number;
  /**
   * How long a claim of an event being processed holds, in ms (default 2 minutes): longer than
   * any handler should run, short enough that an event whose replica died mid-handler is
   * processed by a redelivery soon.
   */
  claimTtlMs?: number;
}

/** Default of `SecPaidWebhookTuning.claimTtlMs`. */
export const SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS = 2 * 60_000;

/**
 * Default tunables: 3 inline re-checks within about 5 seconds; background re-checks after 5 s,
 * 10 s, 20 s ... then every 2 minutes; duplicates remembered for 24 hours.
 */
export const SECPAID_WEBHOOK_DEFAULT_TUNING: SecPaidWebhookTuning = {
  confirmRetryDelaysMs: [500, 1_500, 3_000],
  inlineConfirmMs: 5_000,
  dedupeTtlMs: 24 * 60 * 60 * 1000,
  firstRecheckMs: 5_000,
  maxRecheckMs: 2 * 60 * 1000,
  confirmListLimit: 200,
  claimTtlMs: SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS,
};

/** Injection token of the pending-payment store (internal). */
export const SECPAID_WEBHOOK_PENDING_STORE = Symbol.for('nestjs-secpaid:webhook-pending-store');

/** Injection token of what `getPayInTransactions` is called on (internal; `SecPaidService`). */
export const SECPAID_WEBHOOK_PAY_IN_LOOKUP = Symbol.for('nestjs-secpaid:webhook-pay-in-lookup');

/** Injection token of the mounted webhook route, `false` when webhooks are off (internal). */
export const SECPAID_WEBHOOK_ROUTE = Symbol.for('nestjs-secpaid:webhook-route');
