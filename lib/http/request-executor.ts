import type { Logger } from '@nestjs/common';
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse, GenericAbortSignal } from 'axios';
import { SecPaidApiError } from '../errors/secpaid-api.error.js';
import { SecPaidUnexpectedResponseError } from '../errors/secpaid-unexpected-response.error.js';
import { SecPaidValidationError } from '../errors/secpaid-validation.error.js';
import { SECPAID_API_PREFIX } from '../secpaid.constants.js';
import { assertValidApiKey } from '../validation/api-key.rule.js';
import { parseEnvelope, type SecPaidEnvelope } from './envelope.parser.js';
import type { SecPaidRetryPolicy, SecPaidSafetyClass } from './retry.policy.js';

/**
 * Per-call options, the last argument of every `SecPaidService` method.
 * @publicApi
 */
export interface SecPaidCallOptions {
  /** Aborting cancels a queued, waiting or in-flight call; it rejects with `ABORT_ERR`. */
  signal?: AbortSignal;
  /** Timeout of each attempt, in ms (default: the module's `timeoutMs`). Starts when sent. */
  timeoutMs?: number;
  /** Use this key instead of the module's for this call. */
  apiKey?: string;
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

/**
 * Runs one SecPaid call on the module's axios instance: attempts, envelope check, typed
 * errors, retries by safety class, debug logging. The rate limiter and the `token` header are
 * interceptors on the same instance.
 */
export class SecPaidRequestExecutor {
  constructor(
    private readonly axios: AxiosInstance,
    private readonly apiKey: string,
    private readonly retryPolicy: SecPaidRetryPolicy,
    private readonly maxRetries: number,
    private readonly logger: Logger,
  ) {}

  /** Sends `body` to `endpoint` and returns the model parsed with `input`. */
  async execute<T, C>(
    call: SecPaidCall<T, C>,
    body: Record<string, unknown>,
    input: C,
    options: SecPaidCallOptions | undefined,
  ): Promise<T> {
    const { endpoint } = call;
    const maxRetries = call.neverRetried === true ? 0 : this.maxRetries;
    const signal = options?.signal;
    const config: AxiosRequestConfig = {
      method: 'POST',
      url: SECPAID_API_PREFIX + endpoint,
      data: body,
      validateStatus: ACCEPT_EVERY_STATUS,
    };
    if (options !== undefined) this.applyCallOptions(config, options, endpoint);
    const secrets = options?.apiKey === undefined ? [this.apiKey] : [this.apiKey, options.apiKey];

    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let failure: unknown;
      let answered = false;
      try {
        const answer: AxiosResponse = await this.axios.request(config);
        answered = true;
        this.logger.debug(
          `${endpoint} attempt ${attempt}: HTTP ${answer.status} in ${elapsed(started)} ms`,
        );
        const envelope = parseEnvelope(answer, endpoint, secrets);
        return this.parseModel(call, envelope, input, answer.status);
      } catch (error) {
        failure = error;
        if (!answered) {
          this.logger.debug(
            `${endpoint} attempt ${attempt}: ${describe(error)} after ${elapsed(started)} ms`,
          );
        }
      }
      if (
        attempt > maxRetries ||
        signal?.aborted ||
        !this.retryPolicy.isRetryable(failure, call.safety)
      ) {
        throw failure;
      }
      // `Retry-After` was read once, by whoever built the error from the answer.
      const retryAfterMs = failure instanceof SecPaidApiError ? failure.retryAfterMs : undefined;
      await this.retryPolicy.wait(
        this.retryPolicy.delayMs(attempt, retryAfterMs),
        endpoint,
        signal,
      );
    }
  }

  private applyCallOptions(
    config: AxiosRequestConfig,
    options: SecPaidCallOptions,
    endpoint: string,
  ): void {
    const { signal, timeoutMs, apiKey } = options;
    if (timeoutMs !== undefined) {
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new SecPaidValidationError(
          [{ field: 'timeoutMs', message: 'must be a positive integer' }],
          endpoint,
        );
      }
      config.timeout = timeoutMs;
    }
    if (signal !== undefined) config.signal = signal as GenericAbortSignal;
    if (apiKey !== undefined) {
      // Checked here too (the token interceptor also does) so a bad key never takes a rate-limit slot.
      assertValidApiKey(apiKey, endpoint);
      config.secpaid = { apiKey };
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

/** Error name and code only: messages may quote server text. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'failure';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} (${code})` : error.name;
}
