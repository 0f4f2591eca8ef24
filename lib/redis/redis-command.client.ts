import {
  isIoRedis,
  isNodeRedis,
  isNodeRedisCluster,
  type SecPaidRedisClient,
} from '../options/secpaid-redis.options.js';

/** What the module needs from any Redis client: raw commands and whether it is connected. */
export interface RedisCommandClient {
  /** Sends one command (`['SET', key, value]`) and resolves to its raw reply. */
  send(args: string[]): Promise<unknown>;
  /** False while the client is connecting or reconnecting: commands would only queue. */
  isReady(): boolean;
}

/** A node-redis cluster's `sendCommand`: routed by the first key it is given. */
interface NodeRedisCluster {
  sendCommand(firstKey: string | undefined, isReadonly: boolean, args: string[]): Promise<unknown>;
  isReady: boolean;
}

/**
 * The key a command is routed by in a cluster: the first of `EVAL`/`EVALSHA`'s keys, else the
 * first argument (every command the module sends names its key first).
 */
export function firstKeyOf(args: readonly string[]): string | undefined {
  const name = args[0]?.toUpperCase();
  if (name === 'EVAL' || name === 'EVALSHA') return Number(args[2]) > 0 ? args[3] : undefined;
  return args[1];
}

/**
 * Wraps a node-redis or ioredis client behind `RedisCommandClient`. Both send raw commands the
 * same way on the wire, so one code path (Lua scripts, SET NX PX, ...) serves both. Cluster
 * clients work too: an ioredis `Cluster` routes `call` by the command's keys itself, a node-redis
 * cluster is given the first key (all keys of one API key share a hash tag, so one slot).
 */
export function toRedisCommandClient(client: SecPaidRedisClient): RedisCommandClient {
  if (isNodeRedisCluster(client)) {
    const cluster = client as unknown as NodeRedisCluster;
    return {
      send: (args) => cluster.sendCommand(firstKeyOf(args), false, args),
      isReady: () => cluster.isReady,
    };
  }
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
