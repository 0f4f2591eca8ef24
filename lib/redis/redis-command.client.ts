import {
  isIoRedis,
  isNodeRedis,
  type SecPaidRedisClient,
} from '../options/secpaid-redis.options.js';

/** What the module needs from any Redis client: raw commands and whether it is connected. */
export interface RedisCommandClient {
  /** Sends one command (`['SET', key, value]`) and resolves to its raw reply. */
  send(args: string[]): Promise<unknown>;
  /** False while the client is connecting or reconnecting: commands would only queue. */
  isReady(): boolean;
}

/**
 * Wraps a node-redis or ioredis client behind `RedisCommandClient`. Both send raw commands the
 * same way on the wire, so one code path (Lua scripts, SET NX PX, ...) serves both.
 */
export function toRedisCommandClient(client: SecPaidRedisClient): RedisCommandClient {
  if (isNodeRedis(client)) {
    return { send: (args) => client.sendCommand(args), isReady: () => client.isReady };
  }
  if (isIoRedis(client)) {
    return {
      send: ([name, ...args]) => client.call(name!, ...args),
      isReady: () => client.status === 'ready',
    };
  }
  throw new TypeError('redis.client must be a node-redis or ioredis client');
}
