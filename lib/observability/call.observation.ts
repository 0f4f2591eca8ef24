import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { SecPaidValidationError } from '../errors/secpaid-validation.error.js';
import type { SecPaidCallObserver, SecPaidObservedCall } from '../http/call-observer.js';
import { secpaidChannels, type SecPaidCallMessage } from './diagnostics.channels.js';
import { runInSpan, type OpenTelemetry } from './opentelemetry.loader.js';
import type { SecPaidInstruments } from './telemetry.instruments.js';
import { SECPAID_ATTRIBUTES as A, SECPAID_SPANS } from './telemetry.names.js';

/** What every call of one module registration shares. */
export interface SecPaidCallTarget {
  /** Set when `@opentelemetry/api` is loaded. */
  otel?: { api: OpenTelemetry; tracer: () => Tracer; instruments: () => SecPaidInstruments };
  environment: string;
  serverAddress: string;
  serverPort: number;
}

/**
 * One service call as telemetry sees it: its diagnostics-channel message, its span (when
 * `@opentelemetry/api` is loaded) and its metric attributes. Hears the executor's and the
 * limiter's events, and records the end once.
 */
export class SecPaidCallObservation implements SecPaidCallObserver {
  readonly message: SecPaidCallMessage;
  private readonly started = performance.now();
  private readonly span: Span | undefined;
  /** Attributes every metric of this call carries. */
  private readonly base: Attributes;

  private readonly otel: OpenTelemetry | undefined;
  private readonly instruments: SecPaidInstruments | undefined;

  constructor(call: SecPaidObservedCall, target: SecPaidCallTarget) {
    this.otel = target.otel?.api;
    this.instruments = target.otel?.instruments();
    this.message = {
      operation: call.method,
      endpoint: call.endpoint,
      safety: call.safety,
      environment: target.environment,
      attempts: 1,
      limiterWaitMs: 0,
    };
    this.base = {
      [A.operation]: call.method,
      [A.endpoint]: call.endpoint,
      [A.safetyClass]: call.safety,
    };
    if (target.otel !== undefined) {
      this.span = target.otel.tracer().startSpan(SECPAID_SPANS.operationPrefix + call.method, {
        kind: target.otel.api.SpanKind.INTERNAL,
        attributes: {
          ...this.base,
          [A.environment]: target.environment,
          [A.serverAddress]: target.serverAddress,
          [A.serverPort]: target.serverPort,
        },
      });
    }
  }

  /** Runs the call with this call's span active, so the HTTP client spans become its children. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await runInSpan(this.otel, this.span, work);
      this.finish(undefined);
      return result;
    } catch (error) {
      this.finish(error);
      throw error;
    }
  }

  limiterWaited(waitMs: number): void {
    this.message.limiterWaitMs += waitMs;
    this.instruments?.limiterWaits.add(1, this.base);
    this.instruments?.limiterWaitDuration.record(waitMs / 1000, this.base);
    if (secpaidChannels.limiterWait.hasSubscribers) {
      secpaidChannels.limiterWait.publish({ ...this.names(), waitMs });
    }
  }

  answered(httpStatus: number): void {
    this.message.httpStatus = httpStatus;
  }

  rateLimited(attempt: number, retrying: boolean, retryAfterMs: number | undefined): void {
    this.instruments?.rateLimited.add(1, this.base);
    if (secpaidChannels.rateLimited.hasSubscribers) {
      secpaidChannels.rateLimited.publish({ ...this.names(), attempt, retrying, retryAfterMs });
    }
  }

  retrying(attempt: number, delayMs: number, error: unknown): void {
    this.message.attempts = attempt + 1;
    const errorType = errorTypeOf(error);
    this.span?.addEvent(SECPAID_SPANS.retryEvent, {
      [A.resendCount]: attempt,
      [A.retryDelayMs]: delayMs,
      [A.errorType]: errorType,
    });
    this.instruments?.retries.add(1, { ...this.base, [A.errorType]: errorType });
    if (secpaidChannels.retry.hasSubscribers) {
      secpaidChannels.retry.publish({ ...this.names(), resendCount: attempt, delayMs, errorType });
    }
  }

  private finish(error: unknown): void {
    const message = this.message;
    // A call refused by validation never sent anything.
    if (error instanceof SecPaidValidationError) message.attempts = 0;
    message.outcome = error === undefined ? 'success' : 'error';
    if (error !== undefined) message.errorType = errorTypeOf(error);
    const attributes: Attributes = { ...this.base, [A.outcome]: message.outcome };
    if (message.errorType !== undefined) attributes[A.errorType] = message.errorType;
    if (message.httpStatus !== undefined) attributes[A.httpStatusCode] = message.httpStatus;
    this.instruments?.operationDuration.record((performance.now() - this.started) / 1000, {
      ...attributes,
      [A.httpMethod]: 'POST',
    });
    const span = this.span;
    if (span === undefined) return;
    span.setAttributes({
      ...attributes,
      [A.attempts]: message.attempts,
      [A.limiterWaitMs]: Math.round(message.limiterWaitMs),
    });
    if (error !== undefined) {
      // The class name only: error messages may quote server text.
      span.setStatus({ code: this.otel!.SpanStatusCode.ERROR, message: message.errorType });
    }
    span.end();
  }

  private names(): { operation: string; endpoint: string } {
    return { operation: this.message.operation, endpoint: this.message.endpoint };
  }
}

/** `error.type`: the error's class name (`SecPaidRateLimitError`, ...), `_OTHER` for non-errors. */
export function errorTypeOf(error: unknown): string {
  return error instanceof Error ? error.name : '_OTHER';
}
