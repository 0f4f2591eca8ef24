import { type SecPaidSecret, redactSecrets } from '../core/secret.value.js';
import { isAxiosError, type AxiosError } from 'axios';
import {
  SecPaidConnectionError,
  SecPaidError,
  SecPaidTimeoutError,
} from '../core/secpaid.errors.js';
import { classifyApiFailure } from './api-error.classifier.js';
import { attemptOf, endpointFromUrl } from './secpaid-request.context.js';
import { readResponseMessage } from './envelope.parser.js';
import { parseRetryAfterMs } from './retry.policy.js';

/**
 * Failures that happen before a single byte of the request can reach SecPaid: retrying them
 * can never create a duplicate payment link.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
]);

/**
 * Turns whatever axios rejected with into a `SecPaidError` that carries no secret: axios
 * errors hold the request config (with the `token` header) and the socket, so neither is kept;
 * `cause` is a fresh Error with the scrubbed message and the system code.
 */
export function toSecPaidError(
  error: unknown,
  secrets: readonly (SecPaidSecret | string | undefined)[],
): unknown {
  if (error instanceof SecPaidError || !isAxiosError(error)) return error;
  const allSecrets = [...secrets, ...secretsOf(error)];
  const endpoint = endpointFromUrl(error.config?.url);
  const cause = sanitisedCause(error, allSecrets);

  const attempt = attemptOf(error.config);
  if (attempt?.expired === true || isTimeout(error)) {
    const timeoutMs =
      attempt?.expired === true ? attempt.timeoutMs : Number(error.config?.timeout) || 0;
    return new SecPaidTimeoutError(timeoutMs, { endpoint, cause });
  }
  if (error.response && isAnswerCutOff(error)) {
    // Headers arrived, the body did not: the request reached SecPaid and may have succeeded
    // (a link may exist), so this is a connection failure, never a refusal.
    return new SecPaidConnectionError(`SecPaid ${endpoint} answer was cut off`, {
      endpoint,
      cause,
      code: systemCodeOf(error) ?? 'ERR_RESPONSE_CUT_OFF',
      requestMayHaveReachedServer: true,
    });
  }
  if (error.response) {
    return classifyApiFailure({
      endpoint,
      httpStatus: error.response.status,
      responseMessage: readResponseMessage(error.response.data, allSecrets),
      retryAfterMs: parseRetryAfterMs(error.response.headers?.['retry-after']),
      cause,
    });
  }
  const code = error.code ?? systemCodeOf(error);
  const aborted = error.code === 'ERR_CANCELED';
  return new SecPaidConnectionError(
    aborted
      ? `SecPaid ${endpoint} request was aborted`
      : `Could not reach SecPaid ${endpoint}` + (code ? ` (${code})` : ''),
    {
      endpoint,
      cause,
      code: aborted ? 'ABORT_ERR' : code,
      requestMayHaveReachedServer: !(code && NOT_SENT_CODES.has(code)),
    },
  );
}

/**
 * The answer's body stopped before its end (reset, premature close): axios rejects while
 * streaming it, with the response (status, headers) but without `data`. A complete answer
 * refused by `validateStatus` has its `data`; one over `maxContentLength` was complete too.
 */
function isAnswerCutOff(error: AxiosError): boolean {
  return (
    error.response !== undefined &&
    error.response.data === undefined &&
    error.code !== 'ERR_CANCELED' &&
    !/maxContentLength/.test(error.message)
  );
}

function isTimeout(error: AxiosError): boolean {
  return (
    error.code === 'ETIMEDOUT' || (error.code === 'ECONNABORTED' && /timeout/i.test(error.message))
  );
}

/** The key that was actually sent, which may be a per-call override. */
function secretsOf(error: AxiosError): (SecPaidSecret | string | undefined)[] {
  const header = error.config?.headers?.['token'];
  return [typeof header === 'string' ? header : undefined, error.config?.secpaid?.apiKey];
}

function systemCodeOf(error: AxiosError): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function sanitisedCause(
  error: AxiosError,
  secrets: readonly (SecPaidSecret | string | undefined)[],
): Error {
  const cause = new Error(redactSecrets(error.message, secrets));
  cause.name = 'AxiosError';
  const code = error.code ?? systemCodeOf(error);
  if (code) Object.assign(cause, { code });
  return cause;
}
