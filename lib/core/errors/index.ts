// The error classes (and the issue shape of validation errors); constructor option types stay internal.
export { SecPaidError } from './secpaid.error.js';
export { SecPaidValidationError, type SecPaidValidationIssue } from './secpaid-validation.error.js';
export { SecPaidConfigurationError } from './secpaid-configuration.error.js';
export { SecPaidApiError } from './secpaid-api.error.js';
export { SecPaidAuthenticationError } from './secpaid-authentication.error.js';
export { SecPaidNotFoundError } from './secpaid-not-found.error.js';
export { SecPaidRateLimitError } from './secpaid-rate-limit.error.js';
export { SecPaidServerError } from './secpaid-server.error.js';
export { SecPaidConnectionError } from './secpaid-connection.error.js';
export { SecPaidTimeoutError } from './secpaid-timeout.error.js';
export { SecPaidUnexpectedResponseError } from './secpaid-unexpected-response.error.js';
export { SecPaidWebhookError } from './secpaid-webhook.error.js';
