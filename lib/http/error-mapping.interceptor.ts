import type { AxiosInstance } from 'axios';
import { toSecPaidError } from './axios-error.mapper.js';

/**
 * Maps every failure of this instance to a secret-free `SecPaidError` (axios errors carry the
 * request config with the `token` header), for the service and raw `@InjectSecPaidHttpService()`
 * calls alike.
 */
export function installErrorMappingInterceptor(instance: AxiosInstance, apiKey: string): void {
  instance.interceptors.response.use(undefined, (error: unknown) =>
    Promise.reject(toSecPaidError(error, [apiKey])),
  );
}
