import { SecPaidConnectionError } from './secpaid-connection.error.js';
import type { SecPaidErrorOptions } from './secpaid.error.js';

/**
 * One attempt took longer than its timeout. The request may have reached SecPaid.
 * @publicApi
 */
export class SecPaidTimeoutError extends SecPaidConnectionError {
  /** The per-attempt timeout that was exceeded. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options: SecPaidErrorOptions = {}) {
    const where = options.endpoint ? ` ${options.endpoint}` : '';
    super(`SecPaid${where} did not answer within ${timeoutMs} ms`, {
      ...options,
      code: 'ETIMEDOUT',
      requestMayHaveReachedServer: true,
    });
    this.timeoutMs = timeoutMs;
  }
}
