import { SecPaidApiError } from './secpaid-api.error.js';

/**
 * SecPaid (or a gateway in front of it) answered with a 5xx status.
 * @publicApi
 */
export class SecPaidServerError extends SecPaidApiError {}
