import type { AxiosRequestConfig } from 'axios';

/**
 * A request config carrying a per-call key. Typed through axios' own `AxiosRequestConfig` (which
 * this package augments), so it also compiles where @nestjs/axios 4 (Nest 11) uses axios'
 * CommonJS typings: the recipe the README gives users.
 */
export function withApiKey(apiKey: string): AxiosRequestConfig {
  return { secpaid: { apiKey } };
}
