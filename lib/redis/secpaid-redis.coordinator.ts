import type { SecPaidSecret } from '../core/secret.value.js';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { describeError } from '../core/secpaid.errors.js';
import type { RedisCommandClient } from './redis-command.client.js';
import { RedisKeyspace } from './redis-keyspace.js';
import type { RedisScript } from './redis-script.js';

/** Thrown by `SecPaidRedisCoordinator.run` when Redis cannot answer in time; callers fall back. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** After a failure, Redis is left alone this long before the next call tries it again. */
const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * The one Redis connection of a module registration, with the rules every shared feature
 * follows: each round trip is bounded by `commandTimeoutMs`; a client that is not connected is
 * not even asked; after a failure Redis is skipped for a second, so callers do not each pay a
 * timeout; the outage is logged once as a warning and the recovery once as a log line. Callers
 * catch `RedisUnavailableError` and take their documented local fallback.
 *
 * This is the building block for any state replicas share (limiter, webhook claims, readiness
 * cache, pending payments): get it with the `SECPAID_REDIS` token (`null`
 * without the `redis` option) and use `withRedisFallback`.
 */
export class SecPaidRedisCoordinator implements OnModuleDestroy {
  private readonly logger = new Logger('SecPaidRedis');
  private down = false;
  private retryAt = 0;
  private closed = false;
  /** Set once the first calls waited for the module's own connection to come up (see `run`). */
  private bootWaitDone: boolean;

  constructor(
    private readonly client: RedisCommandClient,
    private readonly keyPrefix: string,
    private readonly commandTimeoutMs: number,
    private readonly closeConnection?: () => Promise<void>,
    private readonly firstReady?: Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.bootWaitDone = firstReady === undefined;
  }

  /** Whether the last round trip worked (false during an outage). */
  get available(): boolean {
    return !this.down && !this.closed && this.client.isReady();
  }

  /**
   * Key names of `apiKey` (from its hash; nothing is kept: a `SecPaidSecret` hashes once, and
   * the coordinator holds no key, raw or hashed, of any call).
   */
  keyspace(apiKey: SecPaidSecret): RedisKeyspace {
    return new RedisKeyspace(this.keyPrefix, apiKey);
  }

  /** Runs a Lua script; see `run`. */
  eval(
    script: RedisScript,
    keys: string[],
    args: (string | number)[],
    timeoutMs?: number,
  ): Promise<unknown> {
    return this.run((client) => script.run(client, keys, args), timeoutMs);
  }

  /** Sends one command; see `run`. */
  command(args: string[]): Promise<unknown> {
    return this.run((client) => client.send(args));
  }

  /**
   * Runs `operation` within `timeoutMs` (default `commandTimeoutMs`), or rejects with `RedisUnavailableError` at once
   * when Redis is known to be down or not connected. Every failure (including error replies
   * such as OOM, READONLY or LOADING during a failover) counts as unavailable: the caller's
   * fallback is always safer than failing the call. Never leaves a rejection unhandled.
   */
  async run<T>(
    operation: (client: RedisCommandClient) => Promise<T>,
    timeoutMs = this.commandTimeoutMs,
  ): Promise<T> {
    if (this.closed) throw new RedisUnavailableError('closed');
    if (this.down && this.now() < this.retryAt) throw new RedisUnavailableError('recently failed');
    if (!this.client.isReady() && !this.bootWaitDone) {
      // Right after start-up the module's own connection is usually still being made: wait for
      // it (once, bounded), or the first calls would bypass the shared budget unseen.
      await this.bounded(this.firstReady!.then(() => true)).catch(() => false);
      this.bootWaitDone = true;
    }
    if (!this.client.isReady()) {
      this.markDown('not connected');
      throw new RedisUnavailableError('not connected');
    }
    try {
      const result = await this.bounded(operation(this.client), timeoutMs);
      this.markUp();
      return result;
    } catch (error) {
      this.markDown(describe(error));
      throw error instanceof RedisUnavailableError
        ? error
        : new RedisUnavailableError(describe(error));
    }
  }

  /** `attempt`, or `RedisUnavailableError` after `timeoutMs`. */
  private async bounded<T>(attempt: Promise<T>, timeoutMs = this.commandTimeoutMs): Promise<T> {
    attempt.catch(() => undefined); // a late failure after the timeout is not unhandled
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const expire = (): void =>
        reject(new RedisUnavailableError(`no answer within ${timeoutMs} ms`));
      // After a stalled event loop, timers run before pending socket reads: give the replies
      // already received one I/O turn (setImmediate runs after it) before calling Redis slow.
      timer = setTimeout(() => setImmediate(expire), timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([attempt, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Called for connection errors the client reports on its own. */
  reportConnectionError(error: unknown): void {
    this.markDown(describe(error));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeConnection?.();
  }

  private markDown(reason: string): void {
    this.retryAt = this.now() + RETRY_AFTER_FAILURE_MS;
    if (this.down || this.closed) return;
    this.down = true;
    this.logger.warn(
      `Redis unavailable (${reason}): each replica now uses its local fallback (a reduced ` +
        'rate budget, in-process webhook claims, pending payments and readiness cache) until ' +
        'Redis answers again',
    );
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log(
      'Redis available again: rate budget, webhook claims, pending payments and readiness ' +
        'cache are shared again',
    );
  }
}

/** Runs `shared` on Redis when configured and reachable, `local` otherwise. */
export async function withRedisFallback<T>(
  redis: SecPaidRedisCoordinator | null,
  shared: (redis: SecPaidRedisCoordinator) => Promise<T>,
  local: () => T | Promise<T>,
): Promise<T> {
  if (redis === null) return local();
  try {
    return await shared(redis);
  } catch (error) {
    if (error instanceof RedisUnavailableError) return local();
    throw error;
  }
}

/**
 * Why Redis is unavailable: our own message, or the error's name and code, never its text (a
 * URL-based error's message may quote the URL, password included).
 */
function describe(error: unknown): string {
  if (error instanceof RedisUnavailableError) return error.message;
  // A single-node client on a cluster node: keys of other nodes' slots are redirected, and the
  // module would sit in its fallback for good. Say how to fix it (no server text is quoted).
  if (error instanceof Error && /^(MOVED|ASK) \d+ /.test(error.message)) {
    return 'a Redis Cluster node answered MOVED: redis.url names a cluster node, set redis.cluster: true';
  }
  return describeError(error);
}
