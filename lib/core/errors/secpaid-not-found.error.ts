import { SecPaidApiError } from './secpaid-api.error.js';

/**
 * The link or payment does not exist or belongs to another account
 * (`Invalid link ID` / `Link not found`).
 * @publicApi
 */
export class SecPaidNotFoundError extends SecPaidApiError {}
