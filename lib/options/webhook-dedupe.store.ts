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
