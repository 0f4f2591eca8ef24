import { SecPaidSecret } from '../../core/secret.value.js';
import type { RedisKeyspace } from '../../redis/redis-keyspace.js';
import { SecPaidInMemoryPendingPaymentStore } from './in-memory-pending-payment.store.js';
import type {
  SecPaidPendingAddOutcome,
  SecPaidPendingLimits,
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../../options/webhook-store.contracts.js';
import {
  ADD_PENDING_SCRIPT,
  HURRY_PENDING_SCRIPT,
  NEXT_CHECK_SCRIPT,
  REMOVE_PENDING_SCRIPT,
  RESCHEDULE_PENDING_SCRIPT,
  TAKE_DUE_SCRIPT,
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
}

/**
 * Pending payments in Redis, shared by every replica using the same API key and kept across
 * restarts (the module uses it with the `redis` option unless `webhooks.pendingStore` is given).
 * Adding within the bound (a full rank refuses, nothing held is dropped) and taking due entries
 * are atomic Lua scripts on the Redis clock; a round that takes an entry leases it, so two
 * replicas never re-check (and dispatch) it at once.
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
  /** Key names from a hash of the API key: the store keeps no key. */
  private readonly keyspace: RedisKeyspace;

  constructor(
    private readonly redis: SecPaidRedisCoordinator,
    /**
     * Names the account's keyspace (see `secpaidAccountNamespace`): pending payments are account
     * data and stay put when the API key rotates. Only its hash is kept (in the key names).
     */
    account: string | SecPaidSecret,
    settings: SecPaidRedisPendingPaymentStoreSettings = {},
  ) {
    this.keyspace = redis.keyspace(SecPaidSecret.of(account));
    this.leaseMs = settings.leaseMs ?? 2 * 60_000;
    this.expiryGraceMs = settings.expiryGraceMs ?? 10 * 60_000;
  }

  add(
    entry: Pick<SecPaidPendingPayment, 'key' | 'event' | 'own'>,
    limits: SecPaidPendingLimits,
  ): Promise<SecPaidPendingAddOutcome> {
    return withRedisFallback(
      this.redis,
      async () => {
        const reply = Number(
          await this.run(ADD_PENDING_SCRIPT, [
            entry.key,
            JSON.stringify({ key: entry.key, event: entry.event, own: entry.own }),
            entry.own ? '1' : '0',
            limits.firstCheckMs,
            limits.periodMs,
            limits.maxEntries,
          ]),
        );
        return reply === 1 ? 'added' : reply === 0 ? 'pending' : 'full';
      },
      () => this.local.add(entry, limits),
    );
  }

  async hurry(key: string): Promise<boolean> {
    if (await this.local.hurry(key)) return true;
    return withRedisFallback(
      this.redis,
      async () => Number(await this.run(HURRY_PENDING_SCRIPT, [key])) === 1,
      () => false,
    );
  }

  async due(limit: number): Promise<SecPaidPendingPayment[]> {
    const local = await this.local.due(limit);
    if (local.length >= limit) return local;
    const shared = await withRedisFallback(
      this.redis,
      async () => {
        const reply = (await this.run(TAKE_DUE_SCRIPT, [
          limit - local.length,
          this.leaseMs,
        ])) as unknown[];
        const entries: SecPaidPendingPayment[] = [];
        for (let i = 0; i + 2 < reply.length; i += 3) {
          entries.push(parseEntry(String(reply[i]), Number(reply[i + 1]), reply[i + 2]));
        }
        return entries;
      },
      () => [],
    );
    return [...local, ...shared];
  }

  async reschedule(entry: SecPaidPendingPayment, delayMs: number): Promise<void> {
    // Held locally (added while Redis was down): `hurry` finds it, `reschedule` sets its time.
    if (await this.local.hurry(entry.key)) return this.local.reschedule(entry, delayMs);
    await withRedisFallback(
      this.redis,
      () =>
        this.run(RESCHEDULE_PENDING_SCRIPT, [
          entry.key,
          JSON.stringify({ key: entry.key, event: entry.event, own: entry.own }),
          Math.max(0, Math.round(delayMs)),
          entry.checks,
        ]),
      // The entry stays in Redis as it was: re-checked again once its lease ends.
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

  async nextCheckInMs(): Promise<number | undefined> {
    const local = await this.local.nextCheckInMs();
    const shared = await withRedisFallback(
      this.redis,
      async () => {
        const wait = Number(await this.run(NEXT_CHECK_SCRIPT, []));
        return wait < 0 ? undefined : wait;
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

  /** Runs one of the store's scripts on its five keys, with the expiry grace as first argument. */
  private run(script: RedisScript, args: (string | number)[]): Promise<unknown> {
    const keys = ['entries', 'due', 'ends', 'own', 'checks'].map((name) => this.keyOf(name));
    return this.redis.eval(script, keys, [this.expiryGraceMs, ...args]);
  }

  private keyOf(name: string): string {
    return this.keyspace.key(`pending:${name}`);
  }
}

function parseEntry(text: string, checks: number, expired: unknown): SecPaidPendingPayment {
  const { key, event, own } = JSON.parse(text) as Pick<
    SecPaidPendingPayment,
    'key' | 'event' | 'own'
  >;
  const entry: SecPaidPendingPayment = { key, event, own: own === true, checks };
  if (Number(expired) === 1) entry.expired = true;
  return entry;
}
