import { SecPaidError } from './secpaid.error.js';

/** What SecPaid answered when it refused a call. */
export interface SecPaidApiErrorOptions {
  endpoint: string;
  /** HTTP status of the answer (SecPaid also reports errors with 200 and `ResponseCode: 0`). */
  httpStatus: number;
  /** SecPaid's `ResponseMsg`, when the body had one. */
  responseMessage?: string;
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

  constructor(options: SecPaidApiErrorOptions, message?: string) {
    super(
      message ??
        `SecPaid ${options.endpoint} failed (HTTP ${options.httpStatus})` +
          (options.responseMessage ? `: ${options.responseMessage}` : ''),
      { endpoint: options.endpoint, cause: options.cause },
    );
    this.httpStatus = options.httpStatus;
    if (options.responseMessage !== undefined) this.responseMessage = options.responseMessage;
  }
}
