import type { SecPaidCloseClock } from '../core/close.deadline.js';
import type { SecPaidSecret } from '../core/secret.value.js';
import type { RedisCommandClient } from './redis-command.client.js';

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

/**
 * Opens a connection to `url` with node-redis (`redis`, the client Redis recommends) or, when
 * only that is installed, ioredis. It resolves at once: the client connects and reconnects in
 * the background, and while it is not ready commands fail fast instead of queueing (an offline
 * queue would replay a webhook claim or a budget reservation long after its caller gave up).
 */
export async function openRedisFromUrl(
  url: SecPaidSecret,
  onError: RedisErrorListener,
): Promise<OwnedRedisConnection> {
  // The URL may hold a password: it is revealed only to the client library, which keeps it.
  const nodeRedis = await importOptional('redis');
  if (nodeRedis) return openNodeRedis(nodeRedis, url.reveal(), onError);
  const ioredis = await importOptional('ioredis');
  if (ioredis) return openIoRedis(ioredis, url.reveal(), onError);
  throw new Error(
    'redis.url needs a Redis client library: npm install redis (or ioredis), or pass redis.client',
  );
}

interface NodeRedisClient {
  on(event: 'error', listener: RedisErrorListener): unknown;
  once(event: 'ready', listener: () => void): unknown;
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  readonly isReady: boolean;
  readonly isOpen: boolean;
  destroy(): void;
  close?(): Promise<void>;
  quit?(): Promise<unknown>;
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
    socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  });
  client.on('error', onError);
  const firstReady = new Promise<void>((resolve) => client.once('ready', resolve));
  // Never awaited: a Redis that is down at boot must not fail or delay start-up.
  client.connect().catch(onError);
  return {
    client: { send: (args) => client.sendCommand(args), isReady: () => client.isReady },
    firstReady,
    close: async (clock) => {
      // Not ready (connecting, reconnecting): nothing to say goodbye to.
      if (!client.isReady) return client.destroy();
      await clock.close(
        () => (client.close ?? client.quit)!.call(client),
        () => client.destroy(),
      );
    },
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
    retryStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
  });
  client.on('error', onError);
  const firstReady = new Promise<void>((resolve) => client.once('ready', resolve));
  return {
    client: {
      send: ([name, ...args]) => client.call(name!, ...args),
      isReady: () => client.status === 'ready',
    },
    firstReady,
    close: async (clock) => {
      if (client.status !== 'ready') return client.disconnect();
      await clock.close(
        () => client.quit(),
        () => client.disconnect(),
      );
    },
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
