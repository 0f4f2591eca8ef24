import { hashApiKey } from '../core/secret-redaction.util.js';

/**
 * Redis key names of one API key. The key itself never reaches Redis: names carry the first
 * 128 bits of its SHA-256, in a `{hash tag}` so that every key of one API key lands in the same
 * Redis Cluster slot (the Lua scripts touch several of them at once).
 */
export class RedisKeyspace {
  /** `<prefix>{<hash>}:` */
  readonly base: string;

  constructor(keyPrefix: string, apiKey: string) {
    const hash = hashApiKey(apiKey).slice(0, 32);
    this.base = `${keyPrefix}{${hash}}:`;
  }

  /** The full name of `name` (e.g. `limiter`, `claim:payment.succeeded:42`). */
  key(name: string): string {
    return this.base + name;
  }
}
