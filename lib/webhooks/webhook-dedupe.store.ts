/**
 * Remembers webhook events that were already dispatched, so a repeated delivery is
 * acknowledged without running the handlers twice. Keys are `<type>:<payId>`.
 *
 * The default keeps them in memory (one process). A store shared by several instances
 * (Redis, a database) implements the same two methods.
 * @publicApi
 */
export interface SecPaidWebhookDedupeStore {
  /** Whether `key` was remembered and has not expired. */
  seen(key: string): Promise<boolean>;
  /** Remembers `key` for `ttlMs` milliseconds. Called only after every handler succeeded. */
  remember(key: string, ttlMs: number): Promise<void>;
}
