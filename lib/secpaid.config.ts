import { registerAs } from '@nestjs/config';
import type { SecPaidEnvironment } from './secpaid.constants.js';
import type { SecPaidModuleOptions } from './secpaid.options.js';

/**
 * SecPaid options read from the environment, for `@nestjs/config`:
 * `SecPaidModule.forRootAsync(secpaidConfig.asProvider())`.
 *
 * Reads `SECPAID_API_KEY`, `SECPAID_ENVIRONMENT`, `SECPAID_BASE_URL`, `SECPAID_TIMEOUT_MS` and
 * `SECPAID_WEBHOOK_ENCRYPTION_KEY`. The module validates the result at bootstrap, so a missing
 * or malformed variable fails start-up with a message naming the option.
 * @publicApi
 */
export const secpaidConfig = registerAs('secpaid', (): SecPaidModuleOptions => {
  const env = process.env;
  const options: SecPaidModuleOptions = {
    apiKey: env['SECPAID_API_KEY'] ?? '',
    environment: env['SECPAID_ENVIRONMENT'] as SecPaidEnvironment,
  };
  if (env['SECPAID_BASE_URL']) options.baseUrl = env['SECPAID_BASE_URL'];
  if (env['SECPAID_TIMEOUT_MS']) options.timeoutMs = toNumber(env['SECPAID_TIMEOUT_MS']);
  if (env['SECPAID_WEBHOOK_ENCRYPTION_KEY']) {
    options.webhooks = { encryptionKey: env['SECPAID_WEBHOOK_ENCRYPTION_KEY'] };
  }
  return options;
});

/** `"5000"` -> 5000; anything else -> NaN, which validation then reports as `timeoutMs`. */
function toNumber(value: string): number {
  return /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
}
