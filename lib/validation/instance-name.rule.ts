import { SecPaidConfigurationError } from '../core/secpaid.errors.js';

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
