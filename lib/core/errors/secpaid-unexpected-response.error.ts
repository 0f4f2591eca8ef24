import { SecPaidError } from './secpaid.error.js';

/**
 * SecPaid answered something that is not its JSON envelope (HTML, malformed JSON, a body
 * without `ResponseCode`/`Result`, or a record we cannot read).
 * @publicApi
 */
export class SecPaidUnexpectedResponseError extends SecPaidError {
  /** HTTP status of the answer, when there was one. */
  readonly httpStatus?: number;

  constructor(
    message: string,
    options: { endpoint?: string; httpStatus?: number; cause?: unknown },
  ) {
    super(message, options);
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
  }
}
