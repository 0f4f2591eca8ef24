import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { SecPaidValidationError } from '../errors/secpaid-validation.error.js';
import { API_KEY_PATTERN } from '../options/secpaid-options.schema.js';
import { toSecPaidError } from './axios-error.mapper.js';
import './secpaid-request-context.js';

/**
 * Installs the two interceptors every SecPaid request passes through, on this instance only:
 * - request: sets the `token` header last, so caller headers (even one named `token`) can
 *   never drop or replace it; only `config.secpaid.apiKey` changes it, for that request;
 * - response: maps failures to secret-free `SecPaidError`s.
 */
export function installSecPaidInterceptors(instance: AxiosInstance, apiKey: string): void {
  instance.interceptors.request.use((config: InternalAxiosRequestConfig) => {
    const override = config.secpaid?.apiKey;
    if (
      override !== undefined &&
      (typeof override !== 'string' || !API_KEY_PATTERN.test(override))
    ) {
      throw new SecPaidValidationError([
        {
          field: 'apiKey',
          message: 'must be a non-empty string without whitespace or control characters',
        },
      ]);
    }
    // AxiosHeaders.set is case-insensitive: this replaces `Token`, `TOKEN`, ... as well.
    config.headers.set('token', override ?? apiKey, true);
    return config;
  });
  instance.interceptors.response.use(undefined, (error: unknown) =>
    Promise.reject(toSecPaidError(error, [apiKey])),
  );
}
