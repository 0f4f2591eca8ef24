import type { SecPaidCloseClock } from '../core/close.deadline.js';
import type { SecPaidSecret } from '../core/secret.value.js';
import type { SecPaidRedisClient } from '../options/secpaid-redis.options.js';
import { toRedisCommandClient, type RedisCommandClient } from './redis-command.client.js';

/** A connection the module opened from `redis.url`, and how to close it. */
export interface OwnedRedisConnection {
  client: RedisCommandClient;
  /** Resolves when the first connection is ready (never rejects). */
  firstReady: Promise<void>;
  /**
   * Closes gracefully (QUIT: replies already on their way are read) and destroys the socket
   * when that has not ended within what is left of the registration's close grace (`clock`):
   * a frozen or vanished Redis never answers QUIT, and an unbounded close would keep
   * `app.close()` and the process alive. Never rejects.
   */
  close(clock: SecPaidCloseClock): Promise<void>;
}

/** Reports connection errors (node-redis and ioredis emit them as `error` events). */
export type RedisErrorListener = (error: unknown) => void;

/** The client libraries `openRedisFromUrl` tries, in order (node-redis, the one Redis recommends). */
export type RedisUrlLibrary = 'redis' | 'ioredis';

/**
 * Opens a connection to `url` with node-redis (`redis`) or, when only that is installed, ioredis;
 * with `cluster`, a cluster client seeded by `url` that discovers the other nodes. It resolves at
 * once: the client connects and reconnects in the background, and while it is not ready commands
 * fail fast instead of queueing (an offline queue would replay a webhook claim or a budget
 * reservation long after its caller gave up). `libraries` is a test seam.
 */
export async function openRedisFromUrl(
  url: SecPaidSecret,
  onError: RedisErrorListener,
  cluster = false,
  libraries: readonly RedisUrlLibrary[] = ['redis', 'ioredis'],
): Promise<OwnedRedisConnection> {
  for (const name of libraries) {
    const library = await importOptional(name);
    if (library === undefined) continue;
    // The URL may hold a password: it is revealed only to the client library, which keeps it.
    if (name === 'redis') {
      return cluster
        ? openNodeRedisCluster(library, url.reveal(), onError)
        : openNodeRedis(library, url.reveal(), onError);
    }
    return cluster
      ? openIoRedisCluster(library, url.reveal(), onError)
      : openIoRedis(library, url.reveal(), onError);
  }
  throw new Error(
    'redis.url needs a Redis client library: npm install redis (or ioredis), or pass redis.client',
  );
}

/** Reconnection backoff of every owned client: capped, so sharing resumes when Redis is back. */
function backoffMs(retries: number): number {
  return Math.min(100 * 2 ** retries, 2_000);
}

/**
 * What a cluster client needs to reach every node, not only the seed: the URL's credentials and
 * TLS (node-redis and ioredis take them per node, not from the seed URL).
 */
function nodeCredentials(url: string): { username?: string; password?: string; tls: boolean } {
  const parsed = new URL(url);
  return {
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    tls: parsed.protocol === 'rediss:',
  };
}

/** What node-redis's client and cluster client share: connecting, readiness and ending. */
interface NodeRedisConnection {
  on(event: 'error', listener: RedisErrorListener): unknown;
  connect(): Promise<unknown>;
  readonly isReady: boolean;
  destroy(): void;
  close?(): Promise<void>;
  quit?(): Promise<unknown>;
}

interface NodeRedisClient extends NodeRedisConnection {
  once(event: 'ready', listener: () => void): unknown;
  sendCommand(args: string[]): Promise<unknown>;
}

/** Ends a node-redis client: gracefully within the clock's grace, else destroyed. */
async function closeNodeRedis(
  client: NodeRedisConnection,
  clock: SecPaidCloseClock,
): Promise<void> {
  // Not ready (connecting, reconnecting): nothing to say goodbye to.
  if (!client.isReady) return client.destroy();
  await clock.close(
    () => (client.close ?? client.quit)!.call(client),
    () => client.destroy(),
  );
}

function openNodeRedis(
  library: Record<string, unknown>,
  url: string,
  onError: RedisErrorListener,
): OwnedRedisConnection {
  const createClient = library['createClient'] as (options: object) => NodeRedisClient;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    // Keep trying (capped backoff) so sharing resumes by itself when Redis is back.
    socket: { reconnectStrategy: backoffMs },
  });
  client.on('error', onError);
  const firstReady = new Promise<void>((resolve) => client.once('ready', resolve));
  // Never awaited: a Redis that is down at boot must not fail or delay start-up.
  client.connect().catch(onError);
  return {
    client: { send: (args) => client.sendCommand(args), isReady: () => client.isReady },
    firstReady,
    close: (clock) => closeNodeRedis(client, clock),
  };
}

interface IoRedisClient {
  on(event: 'error', listener: RedisErrorListener): unknown;
  once(event: 'ready', listener: () => void): unknown;
  call(command: string, ...args: string[]): Promise<unknown>;
  readonly status: string;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** Ends an ioredis client or cluster: QUIT within the clock's grace, else disconnected. */
async function closeIoRedis(client: IoRedisClient, clock: SecPaidCloseClock): Promise<void> {
  if (client.status !== 'ready') return client.disconnect();
  await clock.close(
    () => client.quit(),
    () => client.disconnect(),
  );
}

function openIoRedis(
  library: Record<string, unknown>,
  url: string,
  onError: RedisErrorListener,
): OwnedRedisConnection {
  const Redis = (library['Redis'] ?? library['default']) as new (
    url: string,
    options: object,
  ) => IoRedisClient;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: backoffMs,
  });
  client.on('error', onError);
  const firstReady = new Promise<void>((resolve) => client.once('ready', resolve));
  return {
    client: {
      send: ([name, ...args]) => client.call(name!, ...args),
      isReady: () => client.status === 'ready',
    },
    firstReady,
    close: (clock) => closeIoRedis(client, clock),
  };
}

interface NodeRedisClusterClient extends NodeRedisConnection {
  sendCommand(firstKey: string | undefined, isReadonly: boolean, args: string[]): Promise<unknown>;
}

function openNodeRedisCluster(
  library: Record<string, unknown>,
  url: string,
  onError: RedisErrorListener,
): OwnedRedisConnection {
  const createCluster = library['createCluster'] as (options: object) => NodeRedisClusterClient;
  const { tls, ...credentials } = nodeCredentials(url);
  const client = createCluster({
    rootNodes: [{ url }],
    defaults: {
      ...credentials,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: backoffMs, ...(tls ? { tls: true } : {}) },
    },
  });
  client.on('error', onError);
  // node-redis's cluster is ready once `connect()` has discovered the slots; unlike a single
  // client it does not retry a failed discovery itself (no node reachable at boot), so we do.
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const firstReady = new Promise<void>((resolve) => {
    const attempt = (retries: number): void => {
      client.connect().then(
        () => resolve(),
        (error: unknown) => {
          onError(error);
          if (closed) return;
          retry = setTimeout(() => attempt(retries + 1), backoffMs(retries));
          retry.unref?.();
        },
      );
    };
    attempt(0);
  });
  return {
    client: toRedisCommandClient(client as unknown as SecPaidRedisClient),
    firstReady,
    close: (clock) => {
      closed = true;
      clearTimeout(retry);
      return closeNodeRedis(client, clock);
    },
  };
}

function openIoRedisCluster(
  library: Record<string, unknown>,
  url: string,
  onError: RedisErrorListener,
): OwnedRedisConnection {
  const Cluster = library['Cluster'] as new (
    nodes: { host: string; port: number }[],
    options: object,
  ) => IoRedisClient;
  const { hostname, port } = new URL(url);
  const { tls, ...credentials } = nodeCredentials(url);
  const client = new Cluster([{ host: hostname, port: Number(port || 6379) }], {
    enableOfflineQueue: false,
    clusterRetryStrategy: backoffMs,
    redisOptions: { ...credentials, maxRetriesPerRequest: 0, ...(tls ? { tls: {} } : {}) },
  });
  client.on('error', onError);
  const firstReady = new Promise<void>((resolve) => client.once('ready', resolve));
  return {
    client: toRedisCommandClient(client as unknown as SecPaidRedisClient),
    firstReady,
    close: (clock) => closeIoRedis(client, clock),
  };
}

/** The module namespace of an optional peer dependency, or undefined when it is not installed. */
async function importOptional(name: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
