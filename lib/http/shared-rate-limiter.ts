import { SecPaidSecret } from '../core/secret.value.js';
import { randomBytes } from 'node:crypto';
import type { OnModuleDestroy } from '@nestjs/common';
import type {
  AxiosInstance,
  AxiosResponse,
  GenericAbortSignal,
  InternalAxiosRequestConfig,
} from 'axios';
import { SecPaidRateLimitError } from '../core/secpaid.errors.js';
import { PAUSE_SCRIPT, RESERVE_SCRIPT } from './redis-rate-limit.scripts.js';
import {
  RedisUnavailableError,
  type SecPaidRedisCoordinator,
} from '../redis/secpaid-redis.coordinator.js';
import { abortError } from '../core/abort.util.js';
import { endpointFromUrl } from './endpoint-name.util.js';
import { requestApiKeyOf, serviceCallOf } from './secpaid-request.context.js';
import type { SecPaidApiKeyHolder } from '../options/api-key.holder.js';
import type { SecPaidRateLimiter } from './rate-limiter.js';
import { parseRetryAfterMs } from './retry.policy.js';

/** How often a call over the fallback budget looks again whether Redis is back. */
const FALLBACK_RECHECK_MS = 1_000;

/** Longest `Retry-After` pause shared with the other replicas. */
const MAX_PAUSE_MS = 5 * 60_000;

/** Settings of `SecPaidSharedRateLimiter`. */
export interface SecPaidSharedRateLimiterOptions {
  /** Requests allowed in any window, across every replica. */
  limit: number;
  /** Window length in ms: SecPaid's minute plus the local limiter's margin (61000). */
  windowMs: number;
  /** The module's key, read per call (only its hash reaches Redis). */
  keys: Pick<SecPaidApiKeyHolder, 'current'>;
  /** Used while Redis is unavailable: a local limiter with a smaller budget. */
  fallback: SecPaidRateLimiter;
  /**
   * How long a reservation may wait for a connected but slow Redis (the module's `timeoutMs`):
   * a reply that is only late still lands in the shared window, while a fallback grant would be
   * invisible to the other replicas. A closed connection falls back at once.
   */
  slowRedisWaitMs: number;
}

/**
 * The rate limiter of a module with the `redis` option: one exact sliding window per API key
 * for all replicas, decided by a Lua script (`RESERVE_SCRIPT`). A call that cannot start now
 * gets a start time and sleeps until then, so callers are served in the order they reached
 * Redis without polling it. A 429 with `Retry-After` pauses the key for every replica.
 * While Redis is unavailable each replica uses `fallback` instead, and a call that already
 * holds a reservation keeps it.
 */
export class SecPaidSharedRateLimiter implements OnModuleDestroy {
  readonly limit: number;
  readonly windowMs: number;
  private readonly memberPrefix = randomBytes(6).toString('hex');
  private sequence = 0;
  private readonly sleeping = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly redis: SecPaidRedisCoordinator,
    private readonly options: SecPaidSharedRateLimiterOptions,
  ) {
    this.limit = Math.max(1, Math.floor(options.limit));
    this.windowMs = options.windowMs;
  }

  /**
   * Resolves when the caller may send a request with `apiKey` (to true when it had to wait for
   * a slot); rejects with `ABORT_ERR` when `signal` aborts first or the module closes.
   */
  async acquire(
    signal?: GenericAbortSignal,
    endpoint = 'unknown',
    apiKey: SecPaidSecret | string = this.options.keys.current(),
  ): Promise<boolean> {
    if (signal?.aborted) throw abortError(endpoint, signal);
    const keys = this.keysOf(apiKey);
    const member = `${this.memberPrefix}:${++this.sequence}`;
    let waitMs: number;
    let waited = false;
    for (;;) {
      try {
        waitMs = await this.reserve(keys, member, false);
        break;
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        if (this.options.fallback.tryAcquire()) return waited;
        waited = true;
        // Over the fallback budget: wait a little and ask Redis again rather than queueing
        // behind the small local budget after Redis is back (the coordinator skips Redis
        // without a round trip while it is known to be down).
        await this.sleep(FALLBACK_RECHECK_MS, endpoint, signal);
      }
    }
    while (waitMs > 0) {
      waited = true;
      try {
        await this.sleep(waitMs, endpoint, signal);
      } catch (error) {
        // Give the slot back for others (best effort; it expires with the window anyway).
        this.redis.command(['ZREM', keys[0], member]).catch(() => undefined);
        throw error;
      }
      try {
        waitMs = await this.reserve(keys, member, true);
      } catch (error) {
        if (error instanceof RedisUnavailableError) return waited; // the reservation stands
        throw error;
      }
    }
    return waited;
  }

  /** Pauses `apiKey` for every replica for `ms` (a 429's `Retry-After`). Never rejects. */
  async pause(
    ms: number,
    apiKey: SecPaidSecret | string = this.options.keys.current(),
  ): Promise<void> {
    const duration = Math.min(Math.max(1, Math.ceil(ms)), MAX_PAUSE_MS);
    const [, pauseKey] = this.keysOf(apiKey);
    await this.redis
      .eval(PAUSE_SCRIPT, [pauseKey], [duration], this.options.slowRedisWaitMs)
      .catch(() => undefined);
  }

  /** Waiting calls reject with `ABORT_ERR` when the app closes. */
  onModuleDestroy(): void {
    this.closed = true;
    for (const cancel of [...this.sleeping]) cancel();
  }

  private async reserve(keys: [string, string], member: string, confirm: boolean): Promise<number> {
    const reply = await this.redis.eval(
      RESERVE_SCRIPT,
      keys,
      [this.limit, this.windowMs, member, confirm ? '1' : '0'],
      this.options.slowRedisWaitMs,
    );
    const waitMs = Number(Array.isArray(reply) ? reply[0] : reply);
    return Number.isFinite(waitMs) ? waitMs : 0;
  }

  private keysOf(apiKey: SecPaidSecret | string): [string, string] {
    const keyspace = this.redis.keyspace(SecPaidSecret.of(apiKey));
    return [keyspace.key('limiter'), keyspace.key('pause')];
  }

  /** Sleeps `ms` unless `signal` aborts or the module closes. */
  private sleep(ms: number, endpoint: string, signal?: GenericAbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(endpoint, signal));
    // A call whose Redis round trip was under way at close must not start a wait afterwards.
    if (this.closed) return Promise.reject(abortError(endpoint));
    return new Promise((resolve, reject) => {
      const finish = (error?: unknown): void => {
        clearTimeout(timer);
        this.sleeping.delete(cancel);
        signal?.removeEventListener?.('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(abortError(endpoint, signal));
      const cancel = (): void => finish(abortError(endpoint));
      const timer = setTimeout(() => finish(), ms);
      this.sleeping.add(cancel);
      signal?.addEventListener?.('abort', onAbort, { once: true });
    });
  }
}

/**
 * Puts every request of `instance` behind the shared limiter (raw `@InjectSecPaidHttpService()`
 * calls included), budgeted per API key actually sent, and shares each 429's `Retry-After`.
 */
export function installSharedRateLimiter(
  instance: AxiosInstance,
  limiter: SecPaidSharedRateLimiter,
): void {
  instance.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    const started = performance.now();
    if (
      await limiter.acquire(config.signal, endpointFromUrl(config.url), requestApiKeyOf(config))
    ) {
      serviceCallOf(config)?.observer?.limiterWaited(performance.now() - started);
    }
    return config;
  });
  const pauseOn429 = (
    status: number | undefined,
    retryAfterMs: number | undefined,
    apiKey?: SecPaidSecret | string,
  ): void => {
    if (status === 429 && retryAfterMs !== undefined && retryAfterMs > 0) {
      void limiter.pause(retryAfterMs, apiKey);
    }
  };
  instance.interceptors.response.use(
    (response: AxiosResponse) => {
      pauseOn429(
        response.status,
        parseRetryAfterMs(response.headers['retry-after']),
        requestApiKeyOf(response.config),
      );
      return response;
    },
    (error: unknown) => {
      if (error instanceof SecPaidRateLimitError) pauseOn429(429, error.retryAfterMs);
      return Promise.reject(error);
    },
  );
}
