import type { Logger } from '@nestjs/common';
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse, GenericAbortSignal } from 'axios';
import {
  SecPaidApiError,
  SecPaidAuthenticationError,
  describeError,
  SecPaidRateLimitError,
  SecPaidUnexpectedResponseError,
} from '../core/secpaid.errors.js';
import type { SecPaidApiKeyHolder } from '../options/api-key.holder.js';
import { SecPaidSecret } from '../core/secret.value.js';
import { SECPAID_API_PREFIX, type SecPaidBudgetLane } from '../secpaid.constants.js';
import { parseEnvelope, type SecPaidEnvelope } from './envelope.parser.js';
import type { SecPaidRetryPolicy, SecPaidSafetyClass } from './retry.policy.js';
import { attachServiceCall, type SecPaidCallObserver } from './secpaid-request.context.js';

/**
 * Per-call options, the last argument of every `SecPaidService` method.
 * @publicApi
 */
export interface SecPaidCallOptions {
  /** Aborting cancels a queued, waiting or in-flight call; it rejects with `ABORT_ERR`. */
  signal?: AbortSignal;
  /** Timeout of each attempt, in ms (default: the module's `timeoutMs`). Starts when sent. */
  timeoutMs?: number;
  /** Use this key instead of the module's for this call (held as a `SecPaidSecret` once checked). */
  apiKey?: string | SecPaidSecret;
  /**
   * `createLink` / `createSplitLink` only (requires a `note` unique per order): when the create
   * fails after it may have reached SecPaid, look for the link it may have created and return
   * it, re-send only when none exists, otherwise throw `SecPaidAmbiguousResultError`.
   */
  reconcile?: boolean;
  /**
   * The lane of the key's budget the call waits in when the budget is spent: `interactive`
   * (default: goes first), `confirmation` or `background` (mark your own batch jobs with it).
   * Paginators default to `background`.
   */
  lane?: SecPaidBudgetLane;
  /**
   * Longest wait for the budget, in ms (default the module's `rateLimit.maxWaitMs`, else none:
   * the call waits its turn). A call whose expected wait is longer is refused at once with
   * `SecPaidRateLimitError` (`clientSide: true`, `retryAfterMs` = the expected wait) and never
   * sent; one that waits and reaches the bound is refused then. `timeoutMs` does not count it.
   */
  maxWaitMs?: number;
}

/** What one endpoint call needs besides its body. */
export interface SecPaidCall<T, C> {
  /** Wire name: the call is `POST /api/v2/<endpoint>`. */
  endpoint: string;
  safety: SecPaidSafetyClass;
  /** Never retried, whatever the module's `maxRetries` (the bounded key check). */
  neverRetried?: boolean;
  /**
   * Turns the success envelope into the model, given the validated input; its failures become
   * `SecPaidUnexpectedResponseError`.
   */
  parse: (envelope: SecPaidEnvelope, input: C) => T;
}

// Every HTTP status resolves: the envelope decides, not the status (SecPaid documents none).
const ACCEPT_EVERY_STATUS = (): boolean => true;
/** No request transform: the body is JSON text already (the instance sends `application/json`). */
const SEND_AS_SERIALIZED: [] = [];

/**
 * Runs one SecPaid call through the instance's pipeline (`secpaid-request.pipeline.ts`):
 * attempts, envelope check, typed errors, retries by safety class, logging (debug per attempt;
 * warn per 429 and per retry). The call options arrive checked (`snapshotCallOptions`). An
 * observer, when given, hears of limiter waits, answers, 429s and retries (lib/observability/).
 *
 * Key rotation: when SecPaid refuses the module's key and the key's provider has a different
 * one by now (`keys.refused`), the call is sent once more with it, at once, whatever its safety
 * class: SecPaid checks the key before it runs the endpoint (docs/secpaid-api.md §2.1, §2.4:
 * `Incorrect token or missing token` is the answer to a token that names no account, so no link,
 * deletion or refund was made). A per-call `apiKey` is never replaced.
 */
export class SecPaidRequestExecutor {
  constructor(
    private readonly axios: AxiosInstance,
    private readonly keys: SecPaidApiKeyHolder,
    private readonly retryPolicy: SecPaidRetryPolicy,
    private readonly maxRetries: number,
    private readonly logger: Logger,
    /** Aborts when the module is destroyed: ends retry backoffs (their timers) at once. */
    private readonly closing?: AbortSignal,
  ) {}

  /** Sends `body` to `endpoint` and returns the model parsed with `input`. */
  async execute<T, C>(
    call: SecPaidCall<T, C>,
    body: Record<string, unknown>,
    input: C,
    options: SecPaidCallOptions | undefined,
    observer?: SecPaidCallObserver,
  ): Promise<T> {
    const { endpoint } = call;
    const maxRetries = call.neverRetried === true ? 0 : this.maxRetries;
    const signal = options?.signal;
    const config: AxiosRequestConfig = {
      method: 'POST',
      url: SECPAID_API_PREFIX + endpoint,
      // Serialized once, here: axios would deep-copy an object body on every attempt (its
      // config merge) and JSON-check a string body (its default transform). Same bytes sent.
      data: JSON.stringify(body),
      transformRequest: SEND_AS_SERIALIZED,
      validateStatus: ACCEPT_EVERY_STATUS,
    };
    if (options?.timeoutMs !== undefined) config.timeout = options.timeoutMs;
    if (signal !== undefined) config.signal = signal as GenericAbortSignal;
    // The call's own key is held as a secret: the request config never prints it, and the
    // budgets keep its hash only.
    const apiKey = options?.apiKey === undefined ? undefined : SecPaidSecret.of(options.apiKey);
    attachServiceCall(config, {
      apiKey,
      lane: options?.lane,
      maxWaitMs: options?.maxWaitMs,
      observer,
    });
    const ownKey = apiKey === undefined;
    let rotatedOnce = false;

    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let failure: unknown;
      let answered = false;
      // The `token` the answered request carried: the module's key at send time, or the call's.
      let sentKey: string | undefined;
      try {
        const answer: AxiosResponse = await this.axios.request(config);
        answered = true;
        const token: unknown = answer.config?.headers?.['token'];
        if (typeof token === 'string') sentKey = token;
        observer?.answered(answer.status);
        this.logger.debug(
          `${endpoint} attempt ${attempt}: HTTP ${answer.status} in ${elapsed(started)} ms`,
        );
        const envelope = parseEnvelope(answer, endpoint, [
          ...this.keys.knownKeys(),
          sentKey,
          apiKey,
        ]);
        return this.parseModel(call, envelope, input, answer.status);
      } catch (error) {
        failure = error;
        if (!answered) {
          this.logger.debug(
            `${endpoint} attempt ${attempt}: ${describeError(error)} after ${elapsed(started)} ms`,
          );
        }
      }
      if (
        ownKey &&
        !rotatedOnce &&
        sentKey !== undefined &&
        failure instanceof SecPaidAuthenticationError &&
        signal?.aborted !== true &&
        (await this.keys.refused(sentKey))
      ) {
        rotatedOnce = true;
        // Debug only: the change itself is logged once, by the key's holder.
        this.logger.debug(
          `${endpoint} attempt ${attempt} failed: ${describeError(failure)}; the API key changed, ` +
            'sending once more with the new key',
        );
        attempt--; // the resend with the new key is not one of the safety class's retries
        continue;
      }
      const retrying =
        attempt <= maxRetries &&
        signal?.aborted !== true &&
        this.retryPolicy.isRetryable(failure, call.safety);
      // `Retry-After` was read once, by whoever built the error from the answer.
      const retryAfterMs = failure instanceof SecPaidApiError ? failure.retryAfterMs : undefined;
      const delayMs = retrying ? this.retryPolicy.delayMs(attempt, retryAfterMs) : 0;
      this.reportFailure(endpoint, attempt, failure, retrying, delayMs, maxRetries, observer);
      if (!retrying) throw failure;
      const waitSignal = this.closing
        ? AbortSignal.any(signal ? [signal as AbortSignal, this.closing] : [this.closing])
        : signal;
      await this.retryPolicy.wait(delayMs, endpoint, waitSignal);
    }
  }

  /** One warn line per 429 and per retry (a retried 429 is one line), and the observer's events. */
  private reportFailure(
    endpoint: string,
    attempt: number,
    failure: unknown,
    retrying: boolean,
    delayMs: number,
    maxRetries: number,
    observer: SecPaidCallObserver | undefined,
  ): void {
    const rateLimited = failure instanceof SecPaidRateLimitError;
    if (rateLimited) observer?.rateLimited(attempt, retrying, failure.retryAfterMs);
    if (retrying) {
      observer?.retrying(attempt, delayMs, failure);
      this.logger.warn(
        `${endpoint} attempt ${attempt} failed: ${describeError(failure)}; ` +
          `retry ${attempt} of ${maxRetries} in ${delayMs} ms`,
      );
    } else if (rateLimited) {
      this.logger.warn(
        `${endpoint} attempt ${attempt} failed: ${describeError(failure)}; not retried ` +
          (attempt > maxRetries ? `(${maxRetries} retries used)` : '(aborted)'),
      );
    }
  }

  private parseModel<T, C>(
    call: SecPaidCall<T, C>,
    envelope: SecPaidEnvelope,
    input: C,
    httpStatus: number,
  ): T {
    try {
      return call.parse(envelope, input);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unreadable record';
      throw new SecPaidUnexpectedResponseError(
        `SecPaid ${call.endpoint} answered with a record we cannot read: ${reason}`,
        { endpoint: call.endpoint, httpStatus, cause: error },
      );
    }
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
