import { SecPaidApiError, type SecPaidApiErrorOptions } from './secpaid-api.error.js';

/**
 * SecPaid answered 429 Too Many Requests (60 requests per minute per key by default).
 * @publicApi
 */
export class SecPaidRateLimitError extends SecPaidApiError {
  /** How long SecPaid asked us to wait (from `Retry-After`), when it said. */
  readonly retryAfterMs?: number;

  constructor(options: SecPaidApiErrorOptions & { retryAfterMs?: number }) {
    super(options);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
