import type { SecPaidSecret } from '../core/secret.value.js';

/**
 * A connected Redis client the app owns: a node-redis (`redis` 4 to 6) or an ioredis (5, 6)
 * client, or a cluster client of either (`createCluster`, `new Cluster`). Only the few members used to tell them apart and send commands are typed here, so the
 * package does not depend on either library's types.
 * @publicApi
 */
export type SecPaidRedisClient =
  | {
      /** node-redis */
      sendCommand(args: string[]): Promise<unknown>;
      readonly isReady: boolean;
    }
  | {
      /** node-redis cluster (`createCluster`) */
      sendCommand(firstKey: never, isReadonly: never, args: never): Promise<unknown>;
      readonly isReady: boolean;
      readonly masters: unknown;
    }
  | {
      /** ioredis (a `Redis` or a `Cluster`) */
      call(command: string, ...args: string[]): Promise<unknown>;
      readonly status: string;
    };

/** True for a node-redis cluster (`createCluster`): its `sendCommand` is routed by a first key. */
export function isNodeRedisCluster(client: object): boolean {
  return isNodeRedis(client) && 'masters' in client && 'nodeByAddress' in client;
}

/** True for a node-redis client (v4 to v6; a cluster too, see `isNodeRedisCluster`). */
export function isNodeRedis(
  client: object,
): client is { sendCommand(args: string[]): Promise<unknown>; isReady: boolean } {
  return (
    typeof (client as { sendCommand?: unknown }).sendCommand === 'function' && 'isReady' in client
  );
}

/** True for an ioredis client (v5, v6). */
export function isIoRedis(
  client: object,
): client is { call(command: string, ...args: string[]): Promise<unknown>; status: string } {
  return typeof (client as { call?: unknown }).call === 'function' && 'status' in client;
}

/** True when `value` looks like a client the `redis.client` option accepts. */
export function isSupportedRedisClient(value: unknown): value is SecPaidRedisClient {
  return typeof value === 'object' && value !== null && (isNodeRedis(value) || isIoRedis(value));
}

/**
 * Option `redis`: share the rate budget, the `Retry-After` pause, webhook claims and the
 * readiness cache with every replica that uses the same API key. Give `url` (the module opens
 * the connection and closes it on shutdown) or `client` (a connected client the app owns).
 * @publicApi
 */
export interface SecPaidRedisOptions {
  /** `redis://` or `rediss://` URL; needs the optional peer `redis` (or else `ioredis`) installed. */
  url?: string;
  /**
   * `url` is a node of a Redis Cluster (for example a managed service's configuration
   * endpoint): the module opens a cluster client from it, which discovers the other nodes
   * (default false). The URL's user, password and `rediss:` apply to every node.
   */
  cluster?: boolean;
  /** A connected node-redis or ioredis client; the app opens and closes it. */
  client?: SecPaidRedisClient;
  /** Prefix of every key the module writes (default `secpaid:`). */
  keyPrefix?: string;
  /**
   * Upper bound of one Redis round trip, in ms (default 500). A slower answer counts as
   * "Redis unavailable" for that call, which then takes the fallback path.
   */
  commandTimeoutMs?: number;
  /**
   * Most requests per minute each replica starts while Redis is unavailable (default a quarter
   * of `rateLimit.requestsPerMinute`, at least 1); within it, a replica only takes its share of
   * what is provably free (docs/replicas.md "When Redis fails").
   */
  fallbackRequestsPerMinute?: number;
}

/** `redis` after validation, with defaults applied; the URL and the client held as secrets. */
export interface ResolvedSecPaidRedisOptions {
  url?: SecPaidSecret;
  /** `url` is a Redis Cluster node. */
  cluster: boolean;
  client?: SecPaidSecret<SecPaidRedisClient>;
  keyPrefix: string;
  commandTimeoutMs: number;
  fallbackRequestsPerMinute?: number;
}

/** Defaults of the `redis` settings. */
export const SECPAID_REDIS_DEFAULTS = {
  keyPrefix: 'secpaid:',
  commandTimeoutMs: 500,
} as const;

/** The budget each replica falls back to while Redis is unavailable. */
export function fallbackBudget(
  redis: ResolvedSecPaidRedisOptions,
  requestsPerMinute: number,
): number {
  return redis.fallbackRequestsPerMinute ?? Math.max(1, Math.floor(requestsPerMinute / 4));
}
