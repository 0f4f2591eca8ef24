import type { SecPaidWebhookDedupeStore } from './webhook-dedupe.store.js';

/**
 * The default `SecPaidWebhookDedupeStore`: a bounded in-memory map with lazy expiry. It uses
 * no timers, so it never keeps the process alive; when full, the oldest entry is dropped.
 * @publicApi
 */
export class SecPaidInMemoryWebhookDedupeStore implements SecPaidWebhookDedupeStore {
  private readonly expiries = new Map<string, number>();

  /**
   * @param maxEntries upper bound of remembered keys (default 10000)
   * @param now clock, replaceable in tests
   */
  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async seen(key: string): Promise<boolean> {
    const expiresAt = this.expiries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.now()) return true;
    this.expiries.delete(key);
    return false;
  }

  async remember(key: string, ttlMs: number): Promise<void> {
    // Re-inserting moves the key to the end, so Map order stays oldest-first.
    this.expiries.delete(key);
    this.expiries.set(key, this.now() + ttlMs);
    this.evict();
  }

  /** Number of keys currently held (expired ones included until touched or evicted). */
  get size(): number {
    return this.expiries.size;
  }

  private evict(): void {
    const now = this.now();
    for (const [key, expiresAt] of this.expiries) {
      if (this.expiries.size <= this.maxEntries && expiresAt > now) break;
      if (expiresAt <= now || this.expiries.size > this.maxEntries) this.expiries.delete(key);
    }
  }
}
