import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { SecPaidRateLimitError } from '../../core/secpaid.errors.js';
import type { SecPaidSecret } from '../../core/secret.value.js';
import {
  endpointFromUrl,
  requestApiKeyOf,
  requestBudgetOf,
  serviceCallOf,
} from '../secpaid-request.context.js';
import { parseRetryAfterMs } from '../retry.policy.js';
import type { SecPaidBudget } from './secpaid-budget.js';

/**
 * The pipeline's budget stage (secpaid-request.pipeline.ts): every request of the instance
 * (service calls, raw `@InjectSecPaidHttpService()` calls, webhook lookups, probes, pages)
 * waits for a slot of its key's budget, in its lane and within its wait bound, and each 429's
 * `Retry-After` pauses the key (for every replica with Redis). The attempt deadline is a later
 * stage, so a waiting request's `timeoutMs` has not started.
 */
export function installBudget(instance: AxiosInstance, budget: SecPaidBudget): void {
  instance.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    const apiKey = requestApiKeyOf(config);
    const { lane, maxWaitMs } = requestBudgetOf(config);
    const waitedMs = await budget.acquire({
      endpoint: endpointFromUrl(config.url),
      signal: config.signal,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(lane === undefined ? {} : { lane }),
      ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
    });
    if (waitedMs > 0) serviceCallOf(config)?.observer?.limiterWaited(waitedMs);
    return config;
  });
  const pauseOn429 = (
    status: number,
    retryAfterMs: number | undefined,
    apiKey?: string | SecPaidSecret,
  ): void => {
    if (status === 429 && retryAfterMs !== undefined && retryAfterMs > 0) {
      void budget.pause(retryAfterMs, apiKey);
    }
  };
  instance.interceptors.response.use(
    (response: AxiosResponse) => {
      pauseOn429(
        response.status,
        parseRetryAfterMs(response.headers['retry-after']),
        requestApiKeyOf(response.config),
      );
      return response;
    },
    (error: unknown) => {
      // SecPaid's 429 mapped to an error by a later stage (never one of the budget's own).
      if (error instanceof SecPaidRateLimitError && error.clientSide !== true) {
        pauseOn429(429, error.retryAfterMs);
      }
      return Promise.reject(error);
    },
  );
}
