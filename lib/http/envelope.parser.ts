import { SecPaidUnexpectedResponseError } from '../core/secpaid.errors.js';
import type { SecPaidSecret } from '../core/secret.value.js';
import { classifyApiFailure } from './api-error.classifier.js';
import { parseRetryAfterMs } from './retry.policy.js';
import { redactSecrets } from '../core/secret.value.js';

/** The parts of an HTTP answer the envelope check needs. */
export interface RawSecPaidResponse {
  status: number;
  data: unknown;
  headers: Readonly<Record<string, unknown>>;
}

/** SecPaid's envelope: `ResponseCode`, `ResponseMsg`, `Result`, `ServerTime`, `data`. */
export type SecPaidEnvelope = Readonly<Record<string, unknown>> & {
  ResponseCode: number;
  Result: string;
};

function isEnvelope(body: unknown): body is SecPaidEnvelope {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const { ResponseCode, Result } = body as Record<string, unknown>;
  return (
    (typeof ResponseCode === 'number' || typeof ResponseCode === 'string') &&
    typeof Result === 'string'
  );
}

/**
 * SecPaid's `ResponseMsg` from a body (an object, or JSON text axios left unparsed), scrubbed of
 * secrets; undefined when the body carries none.
 */
export function readResponseMessage(
  data: unknown,
  secrets: readonly (SecPaidSecret | string | undefined)[],
): string | undefined {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (body === null || typeof body !== 'object') return undefined;
  const message = (body as { ResponseMsg?: unknown }).ResponseMsg;
  return typeof message === 'string' ? redactSecrets(message, secrets) : undefined;
}

/**
 * V8 quotes the start of an unparsable body (`Unexpected token 's', "sk_live_SU"... is not
 * valid JSON`): a body that echoes the key would leave a prefix of it, which whole-key
 * redaction cannot catch. Only the position is kept.
 */
function bodyFreeSyntaxError(error: unknown): SyntaxError {
  const message = error instanceof Error ? error.message : '';
  const position = /at position \d+/.exec(message)?.[0];
  return new SyntaxError(`body is not valid JSON${position ? ` (${position})` : ''}`);
}

/** A short, secret-free stand-in for the answer, kept as the error's `cause`. */
function answerCause(status: number, responseCode?: unknown): Error {
  const cause = new Error(
    `HTTP ${status}` + (responseCode === undefined ? '' : `, ResponseCode ${String(responseCode)}`),
  );
  cause.name = 'SecPaidAnswer';
  return cause;
}

/**
 * Checks an answer whatever its HTTP status (SecPaid does not document error statuses):
 * success is `ResponseCode === 1 && Result === "True"` and returns the envelope; a refusal
 * becomes the typed error `classifyApiFailure` picks; a body that is not the envelope is a
 * `SecPaidUnexpectedResponseError` unless the status already says 401/403, 429 or 5xx.
 */
export function parseEnvelope(
  response: RawSecPaidResponse,
  endpoint: string,
  secrets: readonly (SecPaidSecret | string | undefined)[],
): SecPaidEnvelope {
  const { status } = response;
  let body = response.data;
  let syntaxError: unknown;
  if (typeof body === 'string') {
    // axios leaves a body it could not parse as JSON as text (HTML error pages, truncated JSON).
    try {
      body = body.trim() === '' ? undefined : JSON.parse(body);
    } catch (error) {
      syntaxError = bodyFreeSyntaxError(error);
    }
  }
  if (isEnvelope(body)) {
    if (Number(body.ResponseCode) === 1 && body.Result === 'True') return body;
    throw classifyApiFailure({
      endpoint,
      httpStatus: status,
      responseMessage: readResponseMessage(body, secrets),
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after']),
      cause: answerCause(status, body.ResponseCode),
    });
  }
  // A gateway may answer these without the envelope (Kong's `{"message":"Unauthorized"}`).
  if (status === 429 || status === 401 || status === 403 || status >= 500) {
    throw classifyApiFailure({
      endpoint,
      httpStatus: status,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after']),
      cause: answerCause(status),
    });
  }
  const what =
    syntaxError !== undefined
      ? 'a body that is not JSON'
      : body === undefined
        ? 'an empty body'
        : 'JSON without the SecPaid envelope';
  throw new SecPaidUnexpectedResponseError(
    `SecPaid ${endpoint} answered HTTP ${status} with ${what}`,
    { endpoint, httpStatus: status, cause: syntaxError ?? answerCause(status) },
  );
}
