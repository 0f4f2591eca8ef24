import { HttpService } from '@nestjs/axios';
import { SecPaidModule, SecPaidService, type SecPaidModuleOptions } from '../../lib/index.js';
import {
  SECPAID_RATE_LIMIT_WINDOW_MS,
  SECPAID_RETRY_POLICY,
  SECPAID_HTTP_SERVICE,
} from '../../lib/secpaid.constants.js';
import { SecPaidRetryPolicy } from '../../lib/http/retry.policy.js';
import type { MockRequestRecord } from '../../lib/testing/index.js';
import { bootstrapTestApp } from './test-app.builder.js';

/** Real backoff shape, tiny numbers: tests count attempts, never durations. */
export const FAST_RETRIES = new SecPaidRetryPolicy({
  baseDelayMs: 2,
  maxDelayMs: 10,
  retryAfterCapMs: 20,
});

/** A compiled Nest module around `SecPaidModule.forRoot(options)`. */
export interface ServiceHarness {
  service: SecPaidService;
  http: HttpService;
  /** Any provider of the module (e.g. its budget). */
  get<T>(token: unknown): T;
  close(): Promise<void>;
}

/**
 * Builds the module like an app would; only the retry policy (delays) and, when given, the
 * budget's window (SecPaid's minute, scaled down) are swapped for test-sized ones.
 */
export async function createServiceHarness(
  options: SecPaidModuleOptions,
  overrides: { windowMs?: number; retryPolicy?: SecPaidRetryPolicy } = {},
): Promise<ServiceHarness> {
  const builder = bootstrapTestApp(SecPaidModule.forRoot(options)).override(
    SECPAID_RETRY_POLICY,
    overrides.retryPolicy ?? FAST_RETRIES,
  );
  if (overrides.windowMs !== undefined) {
    builder.override(SECPAID_RATE_LIMIT_WINDOW_MS, overrides.windowMs);
  }
  const moduleRef = await builder.compile();
  return {
    service: moduleRef.get(SecPaidService),
    http: moduleRef.get<HttpService>(SECPAID_HTTP_SERVICE),
    get: <T>(token: unknown) => moduleRef.get<T>(token as string),
    close: () => moduleRef.close(),
  };
}

/** Development options for `apiKey` at `baseUrl` with the limiter off, plus `extra`. */
export function devOptions(
  apiKey: string,
  baseUrl: string,
  extra: Partial<SecPaidModuleOptions> = {},
): SecPaidModuleOptions {
  return { apiKey, environment: 'development', baseUrl, rateLimit: false, ...extra };
}

/** The requests the mock saw for one endpoint. */
export function callsTo(requests: MockRequestRecord[], endpoint: string): MockRequestRecord[] {
  return requests.filter((request) => request.path === `/api/v2/${endpoint}`);
}

/** Resolves to the rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
