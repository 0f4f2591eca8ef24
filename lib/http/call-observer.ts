import type { SecPaidSafetyClass } from './retry.policy.js';

/** The call an observer watches: what telemetry may say about it (never the key or the body). */
export interface SecPaidObservedCall {
  /** The `SecPaidService` method (the operation), e.g. `createLink` or `verifyApiKey`. */
  method: string;
  /** The endpoint it calls (`POST /api/v2/<endpoint>`). */
  endpoint: string;
  safety: SecPaidSafetyClass;
}

/**
 * Receives the events of one service call from the request executor and the rate limiter, for
 * tracing, metrics and diagnostics channels (lib/observability/). Every method must be cheap and
 * must never throw.
 */
export interface SecPaidCallObserver {
  /** The limiter held the request back for `waitMs` before it could be sent. */
  limiterWaited(waitMs: number): void;
  /** An attempt got an HTTP answer (whatever its status). */
  answered(httpStatus: number): void;
  /** An attempt was answered with 429; `retrying` says whether another attempt follows. */
  rateLimited(attempt: number, retrying: boolean, retryAfterMs: number | undefined): void;
  /** Attempt `attempt` failed with `error`; the next one is sent after `delayMs`. */
  retrying(attempt: number, delayMs: number, error: unknown): void;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * nestjs-secpaid internal: the observer of the service call this request belongs to (read by
     * the rate limiter to report its wait). Not part of the public request context.
     */
    secpaidObserver?: SecPaidCallObserver;
  }
}
