import type { SecPaidWebhookEvent } from '../models/secpaid-webhook-event.model.js';

// The two stores an app may pass in `webhooks` (a database, Redis): what the receiver needs of
// them. The in-memory and Redis implementations live in webhooks/stores/.

/**
 * A `payment.succeeded` webhook the API did not show yet, kept for background re-checks.
 * Every field is plain JSON, so a shared store (Redis, a database) can keep it as a string.
 * Times are the store's own business: callers pass durations, never their clock, so replicas
 * whose clocks disagree cannot expire each other's entries.
 * @publicApi
 */
export interface SecPaidPendingPayment {
  /** `<payId>:<amount in cents>` (or `:any` without an amount): one entry per claim. */
  key: string;
  /** The parsed webhook; once confirmed (handlers failed), the API's figures. */
  event: SecPaidWebhookEvent;
  /**
   * True when the pay id is a link this app created (its id and amount were in a `createLink`
   * answer). Such entries have room of their own: a flood of forged ids cannot crowd them out.
   */
  own: boolean;
  /** Re-checks made so far. */
  checks: number;
  /** Set by `due()` when the pending period has ended (by the store's clock). */
  expired?: boolean;
}

/** What {@link SecPaidPendingPaymentStore.add} did: kept it, had it already, or had no room. */
export type SecPaidPendingAddOutcome = 'added' | 'pending' | 'full';

/** Durations and bound of a new pending entry (the store stamps them with its own clock). */
export interface SecPaidPendingLimits {
  /** How long the entry is re-checked before it is reported unconfirmed, in ms. */
  periodMs: number;
  /** Wait before its first re-check, in ms. */
  firstCheckMs: number;
  /** Most entries of the same rank (own, or not) kept at once. */
  maxEntries: number;
}

/**
 * Where pending payments wait between re-checks. The default keeps them in memory; a shared
 * implementation (Redis) lets every replica see them and survives a restart. All methods are
 * async and entries are plain JSON.
 *
 * A full store refuses (`'full'`) and never drops an entry it holds to make room: the sender
 * is answered 503 and delivers again, while whatever arrived first (a genuine payment before
 * a flood) stays. Own entries and the others are bounded separately, each by `maxEntries`.
 * @publicApi
 */
export interface SecPaidPendingPaymentStore {
  /** Keeps `entry` (checks 0) unless its key is pending, or its rank holds `maxEntries` already. */
  add(
    entry: Pick<SecPaidPendingPayment, 'key' | 'event' | 'own'>,
    limits: SecPaidPendingLimits,
  ): Promise<SecPaidPendingAddOutcome>;
  /**
   * True when `key` is pending; its next re-check moves to now (a redelivery of a genuine
   * payment must not wait out the backoff of a forged twin sent earlier).
   */
  hurry(key: string): Promise<boolean>;
  /**
   * Up to `limit` entries due now, earliest first; `expired` set on those past their period.
   * A shared store leases them to the caller until they are rescheduled or removed.
   */
  due(limit: number): Promise<SecPaidPendingPayment[]>;
  /**
   * Stores `entry`'s event and checks, and its next re-check `delayMs` from now (never past the
   * end of its period). A no-op when it is no longer pending.
   */
  reschedule(entry: SecPaidPendingPayment, delayMs: number): Promise<void>;
  /** Forgets the entry with `key` (no-op when absent). */
  remove(key: string): Promise<void>;
  /** Milliseconds until the earliest next re-check (0 when one is due), or undefined when empty. */
  nextCheckInMs(): Promise<number | undefined>;
  /** Number of pending entries. */
  size(): Promise<number>;
}

/**
 * What `SecPaidWebhookDedupeStore.claim` found:
 * - `claimed`: the caller now owns the event and runs its handlers;
 * - `processing`: another delivery (this or another replica) is running them right now;
 * - `done`: the handlers already ran; the delivery is a duplicate.
 * @publicApi
 */
export type SecPaidWebhookClaim = 'claimed' | 'processing' | 'done';

/**
 * Atomic per-event claims, so that exactly one delivery of an event runs its handlers, even
 * with several replicas. Keys are `<type>:<payId>`; `token` is unique per delivery.
 *
 * Life of a key: free -> `claim` -> processing (expires after the claim TTL, so a replica that
 * died mid-handler does not block the event for ever) -> `complete` -> done (for the dedupe
 * TTL) or -> `release` -> free again (a handler failed; SecPaid's redelivery runs them again).
 *
 * The module ships an in-memory store (one process, the default) and a Redis store (used with
 * the `redis` option). A custom store (a database) implements the same methods; `claim` must be
 * atomic across everything sharing the store.
 * @publicApi
 */
export interface SecPaidWebhookDedupeStore {
  /** Atomically takes `key` for `ttlMs` unless it is already processing or done. */
  claim(key: string, token: string, ttlMs: number): Promise<SecPaidWebhookClaim>;
  /** Marks `key` done for `ttlMs` (called after every handler succeeded). */
  complete(key: string, token: string, ttlMs: number): Promise<void>;
  /** Frees `key` if `token` still holds it (called when a handler failed). */
  release(key: string, token: string): Promise<void>;
  /**
   * Optional cheap pre-check: true when `key` is done. Lets a replayed webhook be acknowledged
   * before the payment is looked up again; `claim` stays the authority.
   */
  isDone?(key: string): Promise<boolean>;
}
