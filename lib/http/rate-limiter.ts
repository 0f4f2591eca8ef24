import type { AxiosInstance, GenericAbortSignal, InternalAxiosRequestConfig } from 'axios';
import { abortError } from './abort.util.js';
import { endpointFromUrl } from './endpoint-name.util.js';

/** Settings of `SecPaidRateLimiter`. */
export interface SecPaidRateLimiterOptions {
  /** Requests allowed in any window. */
  limit: number;
  /** Window length in ms (default 60000: SecPaid counts per minute). */
  windowMs?: number;
}

/** Injection token of the module's limiter, or `null` with `rateLimit: false` (internal). */
export const SECPAID_RATE_LIMITER = Symbol('nestjs-secpaid:rate-limiter');

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal?: GenericAbortSignal;
  onAbort?: () => void;
}

/**
 * Sliding-window limiter: at most `limit` requests start in any `windowMs`. Calls over the
 * limit wait in FIFO order instead of earning a 429; a waiting call leaves the queue as soon as
 * its signal aborts. The send times live in a ring buffer, so a grant is O(1).
 */
export class SecPaidRateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly sentAt: Float64Array;
  /** Index of the oldest of the last `limit` send times. */
  private oldest = 0;
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SecPaidRateLimiterOptions) {
    this.limit = Math.max(1, Math.floor(options.limit));
    this.windowMs = options.windowMs ?? 60_000;
    this.sentAt = new Float64Array(this.limit).fill(-Infinity);
  }

  /** Number of calls waiting for a slot. */
  get pending(): number {
    return this.queue.length;
  }

  /** Takes a slot now if one is free and nobody is queued. */
  tryAcquire(now: number = Date.now()): boolean {
    if (this.queue.length > 0 || now - this.sentAt[this.oldest]! < this.windowMs) return false;
    this.take(now);
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

  private take(now: number): void {
    this.sentAt[this.oldest] = now;
    this.oldest = (this.oldest + 1) % this.limit;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    const wait = Math.max(0, this.sentAt[this.oldest]! + this.windowMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.release();
    }, wait);
  }

  private release(): void {
    const now = Date.now();
    while (this.queue.length > 0 && now - this.sentAt[this.oldest]! >= this.windowMs) {
      const waiter = this.queue.shift()!;
      if (waiter.onAbort) waiter.signal?.removeEventListener?.('abort', waiter.onAbort);
      this.take(now);
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
 * alike) behind `limiter`. It runs before the adapter, so a queued request's timeout has not
 * started yet: axios arms it only when the request is sent.
 */
export function installRateLimiter(instance: AxiosInstance, limiter: SecPaidRateLimiter): void {
  instance.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    if (config.signal?.aborted || !limiter.tryAcquire()) {
      await limiter.acquire(config.signal, endpointFromUrl(config.url));
    }
    return config;
  });
}
