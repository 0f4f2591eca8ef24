import { SecPaidApiError } from './secpaid-api.error.js';

/**
 * The API key is missing, invalid, or belongs to the other environment (SecPaid answers all
 * three the same way).
 * @publicApi
 */
export class SecPaidAuthenticationError extends SecPaidApiError {}
