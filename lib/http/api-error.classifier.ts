import {
  SecPaidApiError,
  SecPaidAuthenticationError,
  SecPaidNotFoundError,
  SecPaidRateLimitError,
  SecPaidServerError,
} from '../core/secpaid.errors.js';

/** Everything known about a refused call. */
export interface ApiFailure {
  endpoint: string;
  httpStatus: number;
  /** SecPaid's `ResponseMsg`, already scrubbed of secrets. */
  responseMessage?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * `Incorrect token or missing token`, `Please enter token`, ... but not the split-link
 * messages about recipient tokens (`Invalid recipient token at index N`), which are not auth.
 */
const TOKEN_MESSAGE = /(?<!recipient )\btoken\b/i;
/** `Invalid link ID` (api pages) and `Link not found` (errors page, concepts). */
const NOT_FOUND_MESSAGE = /invalid link id|link not found/i;

/**
 * Picks the error class for a refusal from the HTTP status and SecPaid's message
 * (docs/architecture.md §5: auth is HTTP 401/403 or a `ResponseCode: 0` message about the token).
 */
export function classifyApiFailure(failure: ApiFailure): SecPaidApiError {
  const { httpStatus, responseMessage = '' } = failure;
  if (httpStatus === 429) return new SecPaidRateLimitError(failure);
  if (httpStatus === 401 || httpStatus === 403 || TOKEN_MESSAGE.test(responseMessage)) {
    return new SecPaidAuthenticationError(failure);
  }
  if (httpStatus >= 500) return new SecPaidServerError(failure);
  if (httpStatus === 404 || NOT_FOUND_MESSAGE.test(responseMessage)) {
    return new SecPaidNotFoundError(failure);
  }
  return new SecPaidApiError(failure);
}
