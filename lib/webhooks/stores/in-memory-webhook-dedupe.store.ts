import type {
  SecPaidWebhookClaim,
  SecPaidWebhookDedupeStore,
} from '../../options/webhook-store.contracts.js';

interface Entry {
  /** `done`, or the token of the delivery processing the event. */
  holder: string;
  expiresAt: number;
}

const DONE = 'done';

/**
 * The default `SecPaidWebhookDedupeStore`: claims in a bounded in-memory map with lazy expiry
 * (one process). It uses no timers, so it never keeps the process alive; when full, the oldest
 * entry is dropped.
 * @publicApi
 */
export class SecPaidInMemoryWebhookDedupeStore implements SecPaidWebhookDedupeStore {
  private readonly entries = new Map<string, Entry>();

  /**
   * @param maxEntries upper bound of remembered keys (default 10000)
   * @param now clock, replaceable in tests
   */
  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string, token: string, ttlMs: number): Promise<SecPaidWebhookClaim> {
    const entry = this.live(key);
    if (entry) return entry.holder === DONE ? 'done' : 'processing';
    this.put(key, token, ttlMs);
    return 'claimed';
  }

  async complete(key: string, _token: string, ttlMs: number): Promise<void> {
    this.put(key, DONE, ttlMs);
  }

  async release(key: string, token: string): Promise<void> {
    if (this.entries.get(key)?.holder === token) this.entries.delete(key);
  }

  async isDone(key: string): Promise<boolean> {
    return this.live(key)?.holder === DONE;
  }

  /** Number of keys currently held (expired ones included until touched or evicted). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt > this.now()) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private put(key: string, holder: string, ttlMs: number): void {
    // Re-inserting moves the key to the end, so Map order stays oldest-first.
    this.entries.delete(key);
    this.entries.set(key, { holder, expiresAt: this.now() + ttlMs });
    this.evict();
  }

  private evict(): void {
    const now = this.now();
    for (const [key, { expiresAt }] of this.entries) {
      if (this.entries.size <= this.maxEntries && expiresAt > now) break;
      if (expiresAt <= now || this.entries.size > this.maxEntries) this.entries.delete(key);
    }
  }
}
