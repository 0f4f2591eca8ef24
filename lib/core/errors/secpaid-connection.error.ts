import { SecPaidError, type SecPaidErrorOptions } from './secpaid.error.js';

/**
 * No usable answer arrived: connection refused or reset, DNS failure, TLS failure.
 * @publicApi
 */
export class SecPaidConnectionError extends SecPaidError {
  /** The system error code, e.g. `ECONNREFUSED`, when known. */
  readonly code?: string;
  /**
   * True when the failure happened before the request could reach SecPaid (refused, DNS),
   * so a retry cannot create a duplicate.
   */
  readonly requestMayHaveReachedServer: boolean;

  constructor(
    message: string,
    options: SecPaidErrorOptions & { code?: string; requestMayHaveReachedServer: boolean },
  ) {
    super(message, options);
    if (options.code !== undefined) this.code = options.code;
    this.requestMayHaveReachedServer = options.requestMayHaveReachedServer;
  }
}
