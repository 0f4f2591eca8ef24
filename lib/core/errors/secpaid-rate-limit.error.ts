import { SecPaidApiError, type SecPaidApiErrorOptions } from './secpaid-api.error.js';

/**
 * SecPaid answered 429 Too Many Requests (60 requests per minute per key by default);
 * `retryAfterMs` holds its `Retry-After`, when it sent one. Also raised, with `clientSide: true`
 * and `httpStatus` 429, when the client-side limiter's queue is full (`rateLimit.maxQueue`):
 * then nothing was sent and the call is not retried.
 * @publicApi
 */
export class SecPaidRateLimitError extends SecPaidApiError {
  /** True when the client-side limiter refused the call (queue full); SecPaid never saw it. */
  readonly clientSide?: true;

  constructor(options: SecPaidApiErrorOptions & { clientSide?: boolean }, message?: string) {
    super(options, message);
    if (options.clientSide === true) this.clientSide = true;
  }
}
