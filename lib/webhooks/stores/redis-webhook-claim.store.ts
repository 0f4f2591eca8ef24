import { SecPaidSecret } from '../../core/secret.value.js';
import type { RedisKeyspace } from '../../redis/redis-keyspace.js';
import { SecPaidInMemoryWebhookDedupeStore } from './in-memory-webhook-dedupe.store.js';
import type {
  SecPaidWebhookClaim,
  SecPaidWebhookDedupeStore,
} from '../../options/webhook-store.contracts.js';
import {
  RedisUnavailableError,
  type SecPaidRedisCoordinator,
} from '../../redis/secpaid-redis.coordinator.js';
import { RedisScript } from '../../redis/redis-script.js';

/**
 * Claims an event: KEYS [1] claim key; ARGV: token, claim TTL ms.
 * Returns `claimed`, `processing` or `done`. Values are `done` or `processing:<token>`.
 */
const CLAIM_SCRIPT = new RedisScript(`
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'processing:' .. ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if value == 'done' then return 'done' end
return 'processing'
`);

/** Frees a claim only if `token` (ARGV[1]) still holds it: KEYS [1] claim key. */
const RELEASE_SCRIPT = new RedisScript(`
if redis.call('GET', KEYS[1]) == 'processing:' .. ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * Webhook claims in Redis, shared by every replica using the same API key (the module uses it
 * with the `redis` option unless `webhooks.dedupeStore` is given).
 *
 * While Redis is unavailable, claims fall back to an in-memory store: each replica still runs
 * an event's handlers at most once, but two replicas may both run them for the same event
 * during the outage (at-least-once rather than a lost webhook). A claim is completed or
 * released in the store that granted it.
 */
export class SecPaidRedisWebhookClaimStore implements SecPaidWebhookDedupeStore {
  private readonly local = new SecPaidInMemoryWebhookDedupeStore();
  /** Tokens whose claim the local fallback granted. */
  private readonly localTokens = new Set<string>();
  /** Key names from a hash of the API key: the store keeps no key. */
  private readonly keyspace: RedisKeyspace;

  constructor(
    private readonly redis: SecPaidRedisCoordinator,
    /**
     * Names the account's keyspace (see `secpaidAccountNamespace`): claims are account data and
     * stay put when the API key rotates. Only its hash is kept (in the key names).
     */
    account: string | SecPaidSecret,
  ) {
    this.keyspace = redis.keyspace(SecPaidSecret.of(account));
  }

  async claim(key: string, token: string, ttlMs: number): Promise<SecPaidWebhookClaim> {
    try {
      const reply = await this.redis.eval(CLAIM_SCRIPT, [this.keyOf(key)], [token, ttlMs]);
      return reply === 'claimed' || reply === 'done' ? reply : 'processing';
    } catch (error) {
      if (!(error instanceof RedisUnavailableError)) throw error;
      const claim = await this.local.claim(key, token, ttlMs);
      if (claim === 'claimed') this.localTokens.add(token);
      return claim;
    }
  }

  async complete(key: string, token: string, ttlMs: number): Promise<void> {
    if (this.localTokens.delete(token)) return this.local.complete(key, token, ttlMs);
    // Unconditional: the handlers ran, whoever holds the key now.
    await this.redis
      .command(['SET', this.keyOf(key), 'done', 'PX', String(ttlMs)])
      .catch(() => this.local.complete(key, token, ttlMs));
  }

  async release(key: string, token: string): Promise<void> {
    if (this.localTokens.delete(token)) return this.local.release(key, token);
    // If Redis is gone, the claim expires by itself after its TTL.
    await this.redis.eval(RELEASE_SCRIPT, [this.keyOf(key)], [token]).catch(() => undefined);
  }

  async isDone(key: string): Promise<boolean> {
    try {
      return (await this.redis.command(['GET', this.keyOf(key)])) === 'done';
    } catch {
      return this.local.isDone(key);
    }
  }

  private keyOf(key: string): string {
    return this.keyspace.key(`webhook:${key}`);
  }
}
