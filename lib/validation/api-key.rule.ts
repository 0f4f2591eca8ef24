import { SecPaidValidationError } from '../core/secpaid.errors.js';

/** Visible ASCII only: whitespace or CR/LF in a header value would allow header injection. */
export const API_KEY_PATTERN = /^[\x21-\x7e]+$/;

/** The message of every API-key issue; it never includes the value. */
export const API_KEY_RULE = 'must be a non-empty string without whitespace or control characters';

/** True when `value` can be sent as the `token` header. */
export function isValidApiKey(value: unknown): value is string {
  return typeof value === 'string' && API_KEY_PATTERN.test(value);
}

/** Throws the `apiKey` validation error (no value in it) unless `value` is a valid key. */
export function assertValidApiKey(value: unknown, endpoint?: string): asserts value is string {
  if (!isValidApiKey(value)) {
    throw new SecPaidValidationError([{ field: 'apiKey', message: API_KEY_RULE }], endpoint);
  }
}
