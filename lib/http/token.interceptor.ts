import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { assertValidApiKey } from '../validation/api-key.rule.js';
import './secpaid-request-context.js';

/**
 * Sets the `token` header on every request of this instance, last, so caller headers (even one
 * named `token`) can never drop or replace it; only `config.secpaid.apiKey` changes it, for
 * that request.
 */
export function installTokenInterceptor(instance: AxiosInstance, apiKey: string): void {
  instance.interceptors.request.use((config: InternalAxiosRequestConfig) => {
    const override = config.secpaid?.apiKey;
    if (override !== undefined) assertValidApiKey(override);
    // AxiosHeaders.set is case-insensitive: this replaces `Token`, `TOKEN`, ... as well.
    config.headers.set('token', override ?? apiKey, true);
    return config;
  });
}
