import type { SecPaidRedisClient } from './secpaid-redis.options.js';

/** What the module needs from any Redis client: raw commands and whether it is connected. */
export interface RedisCommandClient {
  /** Sends one command (`['SET', key, value]`) and resolves to its raw reply. */
  send(args: string[]): Promise<unknown>;
  /** False while the client is connecting or reconnecting: commands would only queue. */
  isReady(): boolean;
}

/** True for a node-redis client (v4 to v6). */
function isNodeRedis(
  client: object,
): client is { sendCommand(args: string[]): Promise<unknown>; isReady: boolean } {
  return (
    typeof (client as { sendCommand?: unknown }).sendCommand === 'function' && 'isReady' in client
  );
}

/** True for an ioredis client (v5, v6). */
function isIoRedis(
  client: object,
): client is { call(command: string, ...args: string[]): Promise<unknown>; status: string } {
  return typeof (client as { call?: unknown }).call === 'function' && 'status' in client;
}

/** True when `value` looks like a client `toRedisCommandClient` accepts. */
export function isSupportedRedisClient(value: unknown): value is SecPaidRedisClient {
  return typeof value === 'object' && value !== null && (isNodeRedis(value) || isIoRedis(value));
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
