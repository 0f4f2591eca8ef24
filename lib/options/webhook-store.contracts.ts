import type { SecPaidWebhookEvent } from '../models/secpaid-webhook-event.model.js';

// The two stores an app may pass in `webhooks` (a database, Redis): what the receiver needs of
// them. The in-memory and Redis implementations live in webhooks/stores/.

/**
 * A `payment.succeeded` webhook the API did not show yet, kept for background re-checks.
 * Every field is plain JSON (numbers are epoch milliseconds), so a shared store (Redis, a
 * database) can keep it as a string.
 * @publicApi
 */
export interface SecPaidPendingPayment {
  /** `<payId>:<amount in cents>` (or `:any` without an amount): one entry per claim. */
  key: string;
  /** The parsed webhook; once confirmed (handlers failed), the API's figures. */
  event: SecPaidWebhookEvent;
  /** When the webhook arrived. */
  receivedAt: number;
  /** When re-checking stops and `payment.unconfirmed` is reported. */
  expiresAt: number;
  /** When the entry is due for its next re-check. */
  nextCheckAt: number;
  /** Re-checks made so far. */
  checks: number;
}

/** What {@link SecPaidPendingPaymentStore.add} did. */
export interface SecPaidPendingAddResult {
  /** False when an entry with the same key was pending already (it is left as it was). */
  added: boolean;
  /** Entries dropped (oldest first) to stay within `maxEntries`. */
  evicted: SecPaidPendingPayment[];
}

/**
 * Where pending payments wait between re-checks. The default keeps them in memory; a shared
 * implementation (Redis) lets every replica see them and survives a restart. All methods are
 * async and entries are plain JSON.
 * @publicApi
 */
export interface SecPaidPendingPaymentStore {
  /** Adds `entry` unless its key is pending; evicts the oldest entries beyond `maxEntries`. */
  add(entry: SecPaidPendingPayment, maxEntries: number): Promise<SecPaidPendingAddResult>;
  /** The pending entry with `key`, if any. */
  get(key: string): Promise<SecPaidPendingPayment | undefined>;
  /** Up to `limit` entries whose `nextCheckAt` is at or before `now`, earliest first. */
  due(now: number, limit: number): Promise<SecPaidPendingPayment[]>;
  /** Replaces the entry with the same key, if it is still pending. */
  update(entry: SecPaidPendingPayment): Promise<void>;
  /** Forgets the entry with `key` (no-op when absent). */
  remove(key: string): Promise<void>;
  /** The earliest `nextCheckAt` of all entries, or undefined when none is pending. */
  nextCheckAt(): Promise<number | undefined>;
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
