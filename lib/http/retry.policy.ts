import type { GenericAbortSignal } from 'axios';
import {
  SecPaidConnectionError,
  SecPaidRateLimitError,
  SecPaidServerError,
} from '../core/secpaid.errors.js';
import { abortableDelay } from '../core/abort.util.js';

/**
 * How safe an endpoint is to replay (docs/architecture.md §4):
 * - `read`: read-only lists, retried on connection errors, timeouts, 429 and 500/502/503/504;
 * - `write`: createLink, createSplitLink, refundPayment, deleteLink. SecPaid has no idempotency
 *   key, so only 429 and failures raised before the request was sent are retried.
 */
export type SecPaidSafetyClass = 'read' | 'write';

/** Tuning of `SecPaidRetryPolicy`. */
export interface SecPaidRetryPolicyOptions {
  /** First backoff ceiling, in ms (default 500). */
  baseDelayMs?: number;
  /** Largest backoff ceiling, in ms (default 8000). */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured, in ms (default 30000); longer waits are cut to this. */
  retryAfterCapMs?: number;
  /** Source of randomness in [0, 1) (default `Math.random`). */
  random?: () => number;
  /**
   * Waits `ms` before a retry, rejecting when `signal` aborts (default: a real timer). A seam
   * for tests that record the waits instead of sleeping.
   */
  wait?: (ms: number, endpoint: string, signal?: GenericAbortSignal) => Promise<void>;
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/**
 * Decides whether a failed attempt may be replayed and how long to wait first: exponential
 * backoff with full jitter, or the server's `Retry-After` (capped) when it sent one.
 */
export class SecPaidRetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly retryAfterCapMs: number;
  private readonly random: () => number;
  /** Waits before a retry (see {@link SecPaidRetryPolicyOptions.wait}). */
  readonly wait: NonNullable<SecPaidRetryPolicyOptions['wait']>;

  constructor(options: SecPaidRetryPolicyOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.retryAfterCapMs = options.retryAfterCapMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.wait = options.wait ?? abortableDelay;
  }

  /** True when `error` may be retried for an endpoint of this safety class. */
  isRetryable(error: unknown, safety: SecPaidSafetyClass): boolean {
    // A full client-side queue is load shedding: waiting and queueing again would defeat it.
    if (error instanceof SecPaidRateLimitError) return error.clientSide !== true;
    if (error instanceof SecPaidConnectionError) {
      if (error.code === 'ABORT_ERR') return false;
      return safety === 'read' || !error.requestMayHaveReachedServer;
    }
    if (error instanceof SecPaidServerError) {
      return safety === 'read' && RETRYABLE_STATUSES.has(error.httpStatus);
    }
    return false;
  }

  /** Wait before retry number `retry` (1 = first retry). */
  delayMs(retry: number, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.retryAfterCapMs);
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (retry - 1));
    return Math.floor(this.random() * ceiling);
  }
}

/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP date) into milliseconds.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: unknown, now: number = Date.now()): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (typeof header === 'number') return header >= 0 ? header * 1000 : undefined;
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
