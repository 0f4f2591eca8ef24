import { SecPaidError } from './secpaid.error.js';

/**
 * A webhook body that cannot be accepted. The message is deliberately generic: telling
 * base64, padding and JSON failures apart would hand an attacker a padding oracle.
 * @publicApi
 */
export class SecPaidWebhookError extends SecPaidError {
  constructor(message = 'Invalid SecPaid webhook', options: { cause?: unknown } = {}) {
    super(message, options);
  }
}
