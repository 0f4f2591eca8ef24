import { SecPaidInMemoryPendingPaymentStore } from './in-memory-pending-payment.store.js';
import type {
  SecPaidPendingAddResult,
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../../options/webhook-store.contracts.js';
import {
  ADD_PENDING_SCRIPT,
  REMOVE_PENDING_SCRIPT,
  TAKE_DUE_SCRIPT,
  UPDATE_PENDING_SCRIPT,
} from './redis-pending-payment.scripts.js';
import type { RedisScript } from '../../redis/redis-script.js';
import {
  withRedisFallback,
  type SecPaidRedisCoordinator,
} from '../../redis/secpaid-redis.coordinator.js';

/** Settings of {@link SecPaidRedisPendingPaymentStore}; the defaults suit the module. */
export interface SecPaidRedisPendingPaymentStoreSettings {
  /**
   * How long a round that took a due entry holds it before another replica may (default
   * 2 minutes, the webhook claim's TTL): longer than a round's lookup and handlers take.
   */
  leaseMs?: number;
  /**
   * How long Redis keeps an entry past its pending period (default 10 minutes), so a replica
   * can still report it as `payment.unconfirmed`; with no replica alive, it is then gone.
   */
  expiryGraceMs?: number;
  /** The clock the entries' times use (default `Date.now`). */
  now?: () => number;
}

/**
 * Pending payments in Redis, shared by every replica using the same API key and kept across
 * restarts (the module uses it with the `redis` option unless `webhooks.pendingStore` is given).
 * Adding with eviction of the oldest and taking due entries are atomic Lua scripts; a round
 * that takes an entry leases it, so two replicas never re-check (and dispatch) it at once.
 * Keys carry the hash of the API key, never the key; entry values hold the parsed webhook only.
 *
 * While Redis is unavailable, new entries go to an in-memory store of this process (the
 * outage is warned once by the coordinator); reads look at both, so those entries are still
 * re-checked and drained once Redis is back, though they do not survive a restart.
 */
export class SecPaidRedisPendingPaymentStore implements SecPaidPendingPaymentStore {
  private readonly local = new SecPaidInMemoryPendingPaymentStore();
  private readonly leaseMs: number;
  private readonly expiryGraceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: SecPaidRedisCoordinator,
    private readonly apiKey: string,
    settings: SecPaidRedisPendingPaymentStoreSettings = {},
  ) {
    this.leaseMs = settings.leaseMs ?? 2 * 60_000;
    this.expiryGraceMs = settings.expiryGraceMs ?? 10 * 60_000;
    this.now = settings.now ?? Date.now;
  }

  add(entry: SecPaidPendingPayment, maxEntries: number): Promise<SecPaidPendingAddResult> {
    return withRedisFallback(
      this.redis,
      async () => {
        const reply = (await this.run(ADD_PENDING_SCRIPT, [
          entry.key,
          JSON.stringify(entry),
          entry.nextCheckAt,
          entry.expiresAt + this.expiryGraceMs,
          maxEntries,
          entry.checks,
        ])) as unknown[];
        return {
          added: Number(reply[0]) === 1,
          evicted: reply.slice(1).map((text) => parseEntry(String(text))),
        };
      },
      () => this.local.add(entry, maxEntries),
    );
  }

  async get(key: string): Promise<SecPaidPendingPayment | undefined> {
    const local = await this.local.get(key);
    if (local !== undefined) return local;
    return withRedisFallback(
      this.redis,
      async (redis) => {
        const text = await redis.command(['HGET', this.keyOf('entries'), key]);
        return typeof text === 'string' ? parseEntry(text) : undefined;
      },
      () => undefined,
    );
  }

  async due(now: number, limit: number): Promise<SecPaidPendingPayment[]> {
    const local = await this.local.due(now, limit);
    if (local.length >= limit) return local;
    const shared = await withRedisFallback(
      this.redis,
      async () =>
        (
          (await this.run(
            TAKE_DUE_SCRIPT,
            [limit - local.length, now + this.leaseMs],
            now,
          )) as string[]
        ).map(parseEntry),
      () => [],
    );
    return [...local, ...shared];
  }

  async update(entry: SecPaidPendingPayment): Promise<void> {
    if ((await this.local.get(entry.key)) !== undefined) return this.local.update(entry);
    await withRedisFallback(
      this.redis,
      () =>
        this.run(UPDATE_PENDING_SCRIPT, [
          entry.key,
          JSON.stringify(entry),
          entry.nextCheckAt,
          entry.checks,
        ]),
      // The entry stays in Redis as it was: re-checked again once Redis is back.
      () => undefined,
    );
  }

  async remove(key: string): Promise<void> {
    await this.local.remove(key);
    await withRedisFallback(
      this.redis,
      () => this.run(REMOVE_PENDING_SCRIPT, [key]),
      () => undefined,
    );
  }

  async nextCheckAt(): Promise<number | undefined> {
    const local = await this.local.nextCheckAt();
    const shared = await withRedisFallback(
      this.redis,
      async (redis) => {
        // The earliest score; replies come flat or as pairs depending on the client.
        const reply = await redis.command(['ZRANGE', this.keyOf('due'), '0', '0', 'WITHSCORES']);
        const flat = (Array.isArray(reply) ? reply : []).flat() as unknown[];
        return flat.length >= 2 ? Number(flat[1]) : undefined;
      },
      () => undefined,
    );
    if (local === undefined || shared === undefined) return local ?? shared;
    return Math.min(local, shared);
  }

  async size(): Promise<number> {
    const shared = await withRedisFallback(
      this.redis,
      async (redis) => Number(await redis.command(['HLEN', this.keyOf('entries')])),
      () => 0,
    );
    return shared + (await this.local.size());
  }

  /** Runs one of the store's scripts on its five keys, with the clock as first argument. */
  private run(script: RedisScript, args: (string | number)[], now = this.now()): Promise<unknown> {
    const keys = ['entries', 'due', 'order', 'expiry', 'checks'].map((name) => this.keyOf(name));
    return this.redis.eval(script, keys, [now, ...args]);
  }

  private keyOf(name: string): string {
    return this.redis.keyspace(this.apiKey).key(`pending:${name}`);
  }
}

function parseEntry(text: string): SecPaidPendingPayment {
  return JSON.parse(text) as SecPaidPendingPayment;
}
