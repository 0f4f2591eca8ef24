import type { GenericAbortSignal } from 'axios';
import { SecPaidConnectionError } from './secpaid.errors.js';

/**
 * The error every abort rejects with, wherever the call was (queued, waiting to retry, or in
 * flight; the axios mapper produces the same for a cancelled request).
 */
export function abortError(endpoint: string, signal?: GenericAbortSignal): SecPaidConnectionError {
  const reason = (signal as { reason?: unknown } | undefined)?.reason;
  return new SecPaidConnectionError(`SecPaid ${endpoint} request was aborted`, {
    endpoint,
    code: 'ABORT_ERR',
    requestMayHaveReachedServer: false,
    cause: reason instanceof Error ? reason : undefined,
  });
}

/**
 * The error a call rejects with when the module is destroyed before it was sent (waiting in
 * the rate limiter, or started afterwards). `ABORT_ERR`: it is never retried.
 */
export function shutdownError(endpoint: string): SecPaidConnectionError {
  return new SecPaidConnectionError(
    `SecPaid ${endpoint} was not sent: the SecPaid module is shutting down`,
    { endpoint, code: 'ABORT_ERR', requestMayHaveReachedServer: false },
  );
}

/** Resolves after `ms`, or rejects with `abortError` as soon as `signal` aborts. */
export function abortableDelay(
  ms: number,
  endpoint: string,
  signal?: GenericAbortSignal,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(endpoint, signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(endpoint, signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener?.('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener?.('abort', onAbort, { once: true });
  });
}
