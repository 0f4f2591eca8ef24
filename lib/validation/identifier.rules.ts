import { SecPaidValidationError, SecPaidConfigurationError } from '../core/secpaid.errors.js';

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

/**
 * Instance names: a letter, then letters, digits, `-` or `_` (at most 64). They become parts
 * of injection tokens, log lines and environment variable names (`SECPAID_MERCHANT_A_*`).
 */
const INSTANCE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** The rule, as told in the error. */
export const SECPAID_INSTANCE_NAME_RULE =
  'must start with a letter and have at most 64 letters, digits, "-" or "_"';

/** Throws a `SecPaidConfigurationError` unless `name` is absent or a valid instance name. */
export function assertValidSecPaidInstanceName(name: unknown): asserts name is string | undefined {
  if (name === undefined) return;
  if (typeof name !== 'string' || !INSTANCE_NAME.test(name)) {
    throw new SecPaidConfigurationError([{ field: 'name', message: SECPAID_INSTANCE_NAME_RULE }]);
  }
}
