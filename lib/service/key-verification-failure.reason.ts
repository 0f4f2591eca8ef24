import {
  SecPaidAuthenticationError,
  SecPaidConnectionError,
  SecPaidRateLimitError,
  SecPaidServerError,
  SecPaidTimeoutError,
} from '../core/secpaid.errors.js';

/**
 * Why a key verification failed: the SecPaid readiness check's down reason, also named by the
 * start-up check (both map the same errors, so the mapping lives beside the service).
 * @publicApi
 */
export type SecPaidHealthDownReason =
  | 'invalid_api_key'
  | 'timeout'
  | 'unreachable'
  | 'rate_limited'
  | 'server_error'
  | 'unexpected_response';

/** Fixed texts: never the error's own message, so nothing from a response can leak into a probe. */
const MESSAGES: Record<SecPaidHealthDownReason, (environment: string) => string> = {
  invalid_api_key: (env) =>
    `SecPaid rejected the API key for the ${env} environment (invalid, or a key of the other environment)`,
  timeout: (env) => `SecPaid (${env}) did not answer within the health timeout`,
  unreachable: (env) => `SecPaid (${env}) could not be reached`,
  rate_limited: (env) => `SecPaid (${env}) is rate limiting this API key`,
  server_error: (env) => `SecPaid (${env}) answered with a server error`,
  unexpected_response: (env) => `SecPaid (${env}) answered something that is not its API envelope`,
};

/** Maps a failed `verifyApiKey()` to its reason. */
export function keyVerificationFailureOf(
  error: unknown,
  timedOut: boolean,
): SecPaidHealthDownReason {
  if (timedOut || error instanceof SecPaidTimeoutError) return 'timeout';
  if (error instanceof SecPaidAuthenticationError) return 'invalid_api_key';
  if (error instanceof SecPaidRateLimitError) return 'rate_limited';
  if (error instanceof SecPaidServerError) return 'server_error';
  if (error instanceof SecPaidConnectionError) return 'unreachable';
  return 'unexpected_response';
}

/** The short, secret-free message for a reason. */
export function keyVerificationMessageOf(
  reason: SecPaidHealthDownReason,
  environment: string,
): string {
  return MESSAGES[reason](environment);
}
