import type { SecPaidWebhookEvent } from '../models/secpaid-webhook-event.model.js';

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
