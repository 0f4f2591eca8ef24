import { createHash } from 'node:crypto';
import type { RedisCommandClient } from './redis-command.client.js';

/** A Lua script, sent once per client with EVAL (which loads it) and by its SHA1 afterwards. */
export class RedisScript {
  /** Clients that have sent the source once; EVALSHA then saves sending it again. */
  private readonly loadedBy = new WeakSet<RedisCommandClient>();
  private digest: string | undefined;

  constructor(readonly source: string) {}

  /** The script's SHA1, computed on first use (not at import: an app without Redis never needs it). */
  get sha(): string {
    return (this.digest ??= createHash('sha1').update(this.source, 'utf8').digest('hex'));
  }

  /**
   * Runs the script atomically in one round trip: EVAL the first time per client, EVALSHA
   * afterwards (and EVAL again, once, if Redis lost its script cache in a restart).
   */
  async run(
    client: RedisCommandClient,
    keys: string[],
    args: (string | number)[],
  ): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    if (!this.loadedBy.has(client)) {
      const reply = await client.send(['EVAL', this.source, ...tail]);
      this.loadedBy.add(client);
      return reply;
    }
    try {
      return await client.send(['EVALSHA', this.sha, ...tail]);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return client.send(['EVAL', this.source, ...tail]);
    }
  }
}

/** Lua prelude: `now` in ms from the Redis server clock, the one clock every replica shares. */
export const LUA_NOW = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;
