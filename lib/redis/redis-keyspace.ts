import { SecPaidSecret } from '../core/secret.value.js';

/**
 * The Redis namespace of an instance's account data (webhook claims, pending payments): its API
 * key when that is a fixed string (as before rotation existed), and with a key provider the
 * instance's name, because those records must survive a key change (a pending payment under the
 * old key's hash would never be re-checked again). Replicas of one account share it; a Redis
 * shared by several accounts with key providers needs a `keyPrefix` per account. Hashed like a key.
 */
export function secpaidAccountNamespace(
  apiKeySource: SecPaidSecret | string | (() => unknown),
  instanceName: string,
): SecPaidSecret {
  return typeof apiKeySource === 'function'
    ? SecPaidSecret.of(`secpaid-instance:${instanceName}`)
    : SecPaidSecret.of(apiKeySource);
}

/**
 * Redis key names of one API key. The key itself never reaches Redis: names carry the first
 * 128 bits of its SHA-256, in a `{hash tag}` so that every key of one API key lands in the same
 * Redis Cluster slot (the Lua scripts touch several of them at once).
 */
export class RedisKeyspace {
  /** `<prefix>{<hash>}:` */
  readonly base: string;

  constructor(keyPrefix: string, apiKey: SecPaidSecret) {
    this.base = `${keyPrefix}{${apiKey.hash.slice(0, 32)}}:`;
  }

  /** The full name of `name` (e.g. `limiter`, `claim:payment.succeeded:42`). */
  key(name: string): string {
    return this.base + name;
  }
}
