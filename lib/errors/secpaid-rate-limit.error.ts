import { SecPaidApiError } from './secpaid-api.error.js';

/**
 * SecPaid answered 429 Too Many Requests (60 requests per minute per key by default);
 * `retryAfterMs` holds its `Retry-After`, when it sent one.
 * @publicApi
 */
export class SecPaidRateLimitError extends SecPaidApiError {}
