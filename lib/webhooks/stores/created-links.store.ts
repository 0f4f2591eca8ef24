import { SecPaidSecret } from '../../core/secret.value.js';
import type { RedisKeyspace } from '../../redis/redis-keyspace.js';
import type { SecPaidCreatedLinks } from '../../service/created-links.ledger.js';
import { toCents } from '../../validation/secpaid.validators.js';
import {
  withRedisFallback,
  type SecPaidRedisCoordinator,
} from '../../redis/secpaid-redis.coordinator.js';

/** Links kept by the in-memory ledger; the oldest is forgotten beyond it. */
export const SECPAID_CREATED_LINKS_KEPT = 10_000;

/**
 * {@link SecPaidCreatedLinks} of one process: the newest {@link SECPAID_CREATED_LINKS_KEPT}
 * links (a forgotten one only loses its rank; its payment is still confirmed by the API).
 */
export class SecPaidInMemoryCreatedLinks implements SecPaidCreatedLinks {
  private readonly cents = new Map<number, number>();

  constructor(private readonly kept = SECPAID_CREATED_LINKS_KEPT) {}

  async remember(link: { id: number; amount: number }): Promise<void> {
    const cents = toCents(link.amount);
    if (!Number.isSafeInteger(link.id) || cents === undefined) return;
    this.cents.delete(link.id);
    this.cents.set(link.id, cents);
    if (this.cents.size > this.kept) this.cents.delete(this.cents.keys().next().value as number);
  }

  async centsOf(linkId: number): Promise<number | undefined> {
    return this.cents.get(linkId);
  }
}

/** How long Redis remembers a created link (a link may be paid weeks after it was created). */
export const SECPAID_CREATED_LINK_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * The created-link ledger in Redis, so a payment of a link created on one replica is ranked
 * as own on every other: one key per link (`link:<id>` -> cents) that expires after
 * {@link SECPAID_CREATED_LINK_TTL_MS}. Only this app's own create answers write here, so the
 * number of keys follows the app's business, not a sender's. While Redis is down, links are
 * noted and looked up in this process's memory.
 */
export class SecPaidRedisCreatedLinks implements SecPaidCreatedLinks {
  private readonly local = new SecPaidInMemoryCreatedLinks();
  /** Key names from a hash of the API key: the store keeps no key. */
  private readonly keyspace: RedisKeyspace;

  constructor(
    private readonly redis: SecPaidRedisCoordinator,
    /**
     * Names the account's keyspace (see `secpaidAccountNamespace`): created links are account
     * data and stay put when the API key rotates. Only its hash is kept (in the key names).
     */
    account: string | SecPaidSecret,
  ) {
    this.keyspace = redis.keyspace(SecPaidSecret.of(account));
  }

  async remember(link: { id: number; amount: number }): Promise<void> {
    const cents = toCents(link.amount);
    if (!Number.isSafeInteger(link.id) || cents === undefined) return;
    await withRedisFallback(
      this.redis,
      async (redis) => {
        const ttl = String(SECPAID_CREATED_LINK_TTL_MS);
        await redis.command(['SET', this.keyOf(link.id), String(cents), 'PX', ttl]);
      },
      () => this.local.remember(link),
    ).catch(() => this.local.remember(link));
  }

  async centsOf(linkId: number): Promise<number | undefined> {
    const local = await this.local.centsOf(linkId);
    if (local !== undefined) return local;
    const text = await withRedisFallback(
      this.redis,
      (redis) => redis.command(['GET', this.keyOf(linkId)]),
      () => undefined,
    ).catch(() => undefined);
    const cents = typeof text === 'string' ? Number(text) : NaN;
    return Number.isSafeInteger(cents) ? cents : undefined;
  }

  private keyOf(linkId: number): string {
    return this.keyspace.key(`link:${linkId}`);
  }
}
