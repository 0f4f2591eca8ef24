import type { SecPaidSecret } from '../core/secret.value.js';
import type { AxiosInstance, GenericAbortSignal, InternalAxiosRequestConfig } from 'axios';
import { SecPaidRateLimitError } from '../core/secpaid.errors.js';
import { abortError, shutdownError } from '../core/abort.util.js';
import { endpointFromUrl } from './endpoint-name.util.js';
import { requestApiKeyOf, serviceCallOf } from './secpaid-request.context.js';

/** Settings of `SecPaidRateLimiter`. */
export interface SecPaidRateLimiterOptions {
  /** Requests allowed in any window. */
  limit: number;
  /** Window length in ms (default 61000: SecPaid's minute plus a 1 s margin for transit time). */
  windowMs?: number;
  /** Most calls that may wait (default `Infinity` here; the module passes `rateLimit.maxQueue`). */
  maxQueue?: number;
}

/**
 * A minute plus a margin: SecPaid's minute starts when our first call *arrives*, a little after
 * we granted it, so a call released at exactly grant + 60 s can land inside that minute and earn
 * a 429 (bench/ showed it: 80 of 80 queued calls refused). 1 s covers connect and transit time.
 */
const DEFAULT_WINDOW_MS = 61_000;

/** The production window: SecPaid's minute plus the 1 s margin. */
export const SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS = DEFAULT_WINDOW_MS;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal?: GenericAbortSignal;
  onAbort?: () => void;
  endpoint: string;
  /** Left the queue (aborted): skipped when its turn comes, so leaving is O(1). */
  gone: boolean;
}

/**
 * Sliding-window limiter: at most `limit` requests start in any `windowMs`. Calls over the
 * limit wait in FIFO order instead of earning a 429; a waiting call leaves the queue as soon as
 * its signal aborts, in O(1) (it is marked and skipped later). At most `maxQueue` calls wait;
 * one more is refused at once with `SecPaidRateLimitError`. `close()` (the module's destroy
 * hook) rejects every waiting call, clears the timer and refuses later calls. Only send times
 * inside the window are kept (memory follows the actual traffic, not `limit`), and a grant is
 * amortised O(1).
 */
export class SecPaidRateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly maxQueue: number;
  /** Send times inside the window, oldest first, from index `head` on. */
  private sentAt: number[] = [];
  private head = 0;
  /** Waiting calls in FIFO order from index `queueHead` on; aborted ones stay, marked `gone`. */
  private queue: Waiter[] = [];
  private queueHead = 0;
  /** Waiters in the queue that are not `gone`. */
  private waiting = 0;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SecPaidRateLimiterOptions) {
    this.limit = Math.max(1, Math.floor(options.limit));
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.maxQueue = options.maxQueue ?? Number.POSITIVE_INFINITY;
  }

  /** Number of calls waiting for a slot. */
  get pending(): number {
    return this.waiting;
  }

  /** Takes a slot now if one is free and nobody is queued. */
  tryAcquire(now: number = Date.now()): boolean {
    if (this.closed || this.waiting > 0 || !this.hasRoom(now)) return false;
    this.sentAt.push(now);
    return true;
  }

  /**
   * Resolves when the caller may send. Rejects with a `SecPaidConnectionError` (`ABORT_ERR`)
   * when `signal` aborts first (no slot is used then) or the limiter is closed, and with a
   * `SecPaidRateLimitError` when `maxQueue` calls are already waiting.
   */
  acquire(signal?: GenericAbortSignal, endpoint = 'unknown'): Promise<void> {
    if (this.closed) return Promise.reject(shutdownError(endpoint));
    if (signal?.aborted) return Promise.reject(abortError(endpoint, signal));
    if (this.tryAcquire()) return Promise.resolve();
    if (this.waiting >= this.maxQueue) {
      return Promise.reject(queueFullError(endpoint, this.maxQueue));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, endpoint, gone: false };
      if (signal?.addEventListener) {
        waiter.onAbort = () => {
          this.leave(waiter);
          reject(abortError(endpoint, signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.waiting++;
      this.schedule();
    });
  }

  /**
   * Rejects every waiting call with `ABORT_ERR` ("the module is shutting down"), clears the
   * timer, and refuses every later call; idempotent.
   */
  close(): void {
    this.closed = true;
    this.clearTimer();
    const waiters = this.queue.slice(this.queueHead);
    this.queue = [];
    this.queueHead = 0;
    this.waiting = 0;
    for (const waiter of waiters) {
      if (waiter.gone) continue;
      if (waiter.onAbort) waiter.signal?.removeEventListener?.('abort', waiter.onAbort);
      waiter.reject(shutdownError(waiter.endpoint));
    }
  }

  /** Nest's destroy hook: nothing waits past the module. */
  onModuleDestroy(): void {
    this.close();
  }

  /** Marks an aborted waiter gone: O(1); `release` skips it. */
  private leave(waiter: Waiter): void {
    if (waiter.gone) return;
    waiter.gone = true;
    this.waiting--;
    if (this.waiting === 0) {
      this.clearTimer();
      this.queue = [];
      this.queueHead = 0;
    }
  }

  /** Drops send times that left the window; true when another request may start. */
  private hasRoom(now: number): boolean {
    const times = this.sentAt;
    while (this.head < times.length && now - times[this.head]! >= this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > times.length) {
      this.sentAt = times.slice(this.head);
      this.head = 0;
    }
    return this.sentAt.length - this.head < this.limit;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waiting === 0) return;
    // The queue is only non-empty while the window is full, so `head` is the slot to wait for.
    const wait = Math.max(0, this.sentAt[this.head]! + this.windowMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.release();
    }, wait);
  }

  private release(): void {
    const now = Date.now();
    while (this.waiting > 0 && this.hasRoom(now)) {
      const waiter = this.queue[this.queueHead++]!;
      if (waiter.gone) continue;
      this.waiting--;
      if (waiter.onAbort) waiter.signal?.removeEventListener?.('abort', waiter.onAbort);
      this.sentAt.push(now);
      waiter.resolve();
    }
    // Drop the served prefix once it dominates, so the array does not grow for ever.
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.schedule();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** A call refused because `maxQueue` calls already wait: nothing was sent, not retried. */
function queueFullError(endpoint: string, maxQueue: number): SecPaidRateLimitError {
  return new SecPaidRateLimitError(
    { endpoint, httpStatus: 429, clientSide: true },
    `SecPaid ${endpoint} was not sent: ${maxQueue} calls already wait in the client-side rate limiter (rateLimit.maxQueue)`,
  );
}

/**
 * Puts every request of `instance` (the service's and raw `@InjectSecPaidHttpService()` calls
 * alike) behind the limiter `limiterFor` picks for the request's key (`requestApiKeyOf`, undefined for
 * the module's own): the rate-limit stage of the pipeline (`secpaid-request.pipeline.ts`).
 */
export function installRateLimiter(
  instance: AxiosInstance,
  limiterFor: (apiKey: SecPaidSecret | string | undefined) => SecPaidRateLimiter,
): void {
  instance.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    const limiter = limiterFor(requestApiKeyOf(config));
    if (config.signal?.aborted || !limiter.tryAcquire()) {
      const waitStarted = performance.now();
      await limiter.acquire(config.signal, endpointFromUrl(config.url));
      serviceCallOf(config)?.observer?.limiterWaited(performance.now() - waitStarted);
    }
    return config;
  });
}
