import type { OnModuleDestroy } from '@nestjs/common';
import { SecPaidSecret } from '../core/secret.value.js';
import type { SecPaidApiKeyHolder } from '../options/api-key.holder.js';
import type { SecPaidRateLimiter } from './rate-limiter.js';

/** How many per-call keys keep a budget of their own before the least recently used is dropped. */
export const SECPAID_MAX_KEY_BUDGETS = 256;

/**
 * One rate budget per API key, because SecPaid counts requests per key: the module's own key
 * uses the module's limiter, and every per-call `apiKey` override gets a limiter of its own.
 * The module's key is the one current when the call asks (key rotation): queued calls stay in
 * the module's limiter and leave with whichever key is current then.
 * Budgets are found by a hash of the key (the key itself is never kept). At most `maxBudgets`
 * override budgets are kept; the least recently used one is dropped (calls already queued on it
 * are still released by it; a later call with that key starts a fresh budget).
 */
export class SecPaidRateBudgets implements OnModuleDestroy {
  /** Override budgets in least-recently-used-first order (a Map keeps insertion order). */
  private readonly byKeyHash = new Map<string, SecPaidRateLimiter>();

  constructor(
    private readonly moduleKey: Pick<SecPaidApiKeyHolder, 'keyHash'>,
    private readonly moduleLimiter: SecPaidRateLimiter,
    private readonly createLimiter: () => SecPaidRateLimiter,
    private readonly maxBudgets = SECPAID_MAX_KEY_BUDGETS,
  ) {}

  /** Number of override budgets currently kept (the module's own is not counted). */
  get size(): number {
    return this.byKeyHash.size;
  }

  /** The limiter of `apiKey`; the module's own when no key (or the module's key) is given. */
  limiterFor(apiKey: SecPaidSecret | string | undefined): SecPaidRateLimiter {
    if (apiKey === undefined) return this.moduleLimiter;
    const keyHash = SecPaidSecret.of(apiKey).hash;
    if (keyHash === this.moduleKey.keyHash) return this.moduleLimiter;
    let limiter = this.byKeyHash.get(keyHash);
    if (limiter === undefined) {
      limiter = this.createLimiter();
    } else {
      this.byKeyHash.delete(keyHash);
    }
    this.byKeyHash.set(keyHash, limiter);
    if (this.byKeyHash.size > this.maxBudgets) {
      const oldest = this.byKeyHash.keys().next().value as string;
      this.byKeyHash.delete(oldest);
    }
    return limiter;
  }

  /**
   * Nest's destroy hook: calls waiting on a per-call key's budget reject like those on the
   * module's own limiter (which Nest closes itself, being a provider).
   */
  onModuleDestroy(): void {
    for (const limiter of this.byKeyHash.values()) limiter.close();
    this.byKeyHash.clear();
  }
}
