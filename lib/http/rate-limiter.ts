import type { AxiosInstance, GenericAbortSignal, InternalAxiosRequestConfig } from 'axios';
import { abortError } from './abort.util.js';
import './call-observer.js';
import { endpointFromUrl } from './endpoint-name.util.js';
import './secpaid-request-context.js';

/** Settings of `SecPaidRateLimiter`. */
export interface SecPaidRateLimiterOptions {
  /** Requests allowed in any window. */
  limit: number;
  /** Window length in ms (default 61000: SecPaid's minute plus a 1 s margin for transit time). */
  windowMs?: number;
}

/**
 * A minute plus a margin: SecPaid's minute starts when our first call *arrives*, a little after
 * we granted it, so a call released at exactly grant + 60 s can land inside that minute and earn
 * a 429 (bench/ showed it: 80 of 80 queued calls refused). 1 s covers connect and transit time.
 */
const DEFAULT_WINDOW_MS = 61_000;

/** Injection token of the module's limiter, or `null` with `rateLimit: false` (internal). */
export const SECPAID_RATE_LIMITER = Symbol.for('nestjs-secpaid:rate-limiter');

/**
 * Injection token of the window length both limiters use, `DEFAULT_WINDOW_MS` (internal;
 * multi-process tests shrink SecPaid's minute to seconds with it).
 */
export const SECPAID_RATE_LIMIT_WINDOW_MS = Symbol.for('nestjs-secpaid:rate-limit-window-ms');

/** The production window: SecPaid's minute plus the 1 s margin. */
export const SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS = DEFAULT_WINDOW_MS;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal?: GenericAbortSignal;
  onAbort?: () => void;
}

/**
 * Sliding-window limiter: at most `limit` requests start in any `windowMs`. Calls over the
 * limit wait in FIFO order instead of earning a 429; a waiting call leaves the queue as soon as
 * its signal aborts. Only send times inside the window are kept (memory follows the actual
 * traffic, not `limit`), and a grant is amortised O(1).
 */
export class SecPaidRateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Send times inside the window, oldest first, from index `head` on. */
  private sentAt: number[] = [];
  private head = 0;
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SecPaidRateLimiterOptions) {
    this.limit = Math.max(1, Math.floor(options.limit));
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  }

  /** Number of calls waiting for a slot. */
  get pending(): number {
    return this.queue.length;
  }

  /** Takes a slot now if one is free and nobody is queued. */
  tryAcquire(now: number = Date.now()): boolean {
    if (this.queue.length > 0 || !this.hasRoom(now)) return false;
    this.sentAt.push(now);
    return true;
  }

  /**
   * Resolves when the caller may send. Rejects with a `SecPaidConnectionError` (`ABORT_ERR`)
   * when `signal` aborts first; no slot is used then.
   */
  acquire(signal?: GenericAbortSignal, endpoint = 'unknown'): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(endpoint, signal));
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal?.addEventListener) {
        waiter.onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          if (this.queue.length === 0) this.clearTimer();
          reject(abortError(endpoint, signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.schedule();
    });
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
    if (this.timer !== undefined || this.queue.length === 0) return;
    // The queue is only non-empty while the window is full, so `head` is the slot to wait for.
    const wait = Math.max(0, this.sentAt[this.head]! + this.windowMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.release();
    }, wait);
  }

  private release(): void {
    const now = Date.now();
    while (this.queue.length > 0 && this.hasRoom(now)) {
      const waiter = this.queue.shift()!;
      if (waiter.onAbort) waiter.signal?.removeEventListener?.('abort', waiter.onAbort);
      this.sentAt.push(now);
      waiter.resolve();
    }
    this.schedule();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Puts every request of `instance` (the service's and raw `@InjectSecPaidHttpService()` calls
 * alike) behind the limiter `limiterFor` picks for the request's key (`config.secpaid.apiKey`,
 * or undefined for the module's own). It runs before the adapter, so a queued request's timeout
 * has not started yet: axios arms it only when the request is sent.
 */
export function installRateLimiter(
  instance: AxiosInstance,
  limiterFor: (apiKey: string | undefined) => SecPaidRateLimiter,
): void {
  instance.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    const limiter = limiterFor(config.secpaid?.apiKey);
    if (config.signal?.aborted || !limiter.tryAcquire()) {
      const waitStarted = performance.now();
      await limiter.acquire(config.signal, endpointFromUrl(config.url));
      config.secpaidObserver?.limiterWaited(performance.now() - waitStarted);
    }
    return config;
  });
}
