import { SecPaidError } from './secpaid.error.js';

/** What SecPaid answered when it refused a call. */
export interface SecPaidApiErrorOptions {
  endpoint: string;
  /** HTTP status of the answer (SecPaid also reports errors with 200 and `ResponseCode: 0`). */
  httpStatus: number;
  /** SecPaid's `ResponseMsg`, when the body had one. */
  responseMessage?: string;
  /** The answer's `Retry-After`, in ms, when it had a readable one. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * SecPaid answered `ResponseCode: 0` or a non-2xx status.
 * @publicApi
 */
export class SecPaidApiError extends SecPaidError {
  declare readonly endpoint: string;
  /** HTTP status of the answer. */
  readonly httpStatus: number;
  /** SecPaid's `ResponseMsg`, when the body had one. */
  readonly responseMessage?: string;
  /**
   * How long SecPaid asked us to wait (from `Retry-After`), when it said: on a 429 above all,
   * and on a 503. The retry policy honours it (capped).
   */
  readonly retryAfterMs?: number;

  constructor(options: SecPaidApiErrorOptions, message?: string) {
    super(
      message ??
        `SecPaid ${options.endpoint} failed (HTTP ${options.httpStatus})` +
          (options.responseMessage ? `: ${options.responseMessage}` : ''),
      { endpoint: options.endpoint, cause: options.cause },
    );
    this.httpStatus = options.httpStatus;
    if (options.responseMessage !== undefined) this.responseMessage = options.responseMessage;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
