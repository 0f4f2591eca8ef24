import type { Span, Tracer } from '@opentelemetry/api';
import { SecPaidValidationError } from '../core/secpaid.errors.js';
import type { SecPaidCallObserver, SecPaidObservedCall } from '../http/secpaid-request.context.js';
import { secpaidChannels, type SecPaidCallMessage } from './diagnostics.channels.js';
import { runInSpan, type OpenTelemetry } from './opentelemetry.loader.js';
import type { SecPaidInstruments } from './telemetry.instruments.js';
import {
  type SecPaidOperationAttributeCache,
  type SecPaidOperationAttributes,
  type SecPaidOperationTarget,
} from './operation.attributes.js';
import { SECPAID_ATTRIBUTES as A, SECPAID_SPANS } from './telemetry.names.js';

/** What every call of one module registration shares. */
export interface SecPaidCallTarget extends SecPaidOperationTarget {
  /** Set while `@opentelemetry/api` is loaded and something is registered with it. */
  otel?: {
    api: OpenTelemetry;
    tracer: () => Tracer;
    instruments: () => SecPaidInstruments;
    /** Each operation's attribute sets, built on its first call. */
    operations: SecPaidOperationAttributeCache;
  };
}

/**
 * One service call as telemetry sees it: its diagnostics-channel message, its span (when
 * `@opentelemetry/api` is loaded) and its metrics. Hears the executor's and the limiter's
 * events, and records the end once. Its attribute sets are the operation's shared ones, and a
 * span that does not record (no SDK, or sampled out) gets no end attributes at all.
 */
export class SecPaidCallObservation implements SecPaidCallObserver {
  readonly message: SecPaidCallMessage;
  private readonly started = performance.now();
  private readonly span: Span | undefined;
  private readonly otel: OpenTelemetry | undefined;
  private readonly instruments: SecPaidInstruments | undefined;
  private readonly attributes: SecPaidOperationAttributes | undefined;

  constructor(call: SecPaidObservedCall, target: SecPaidCallTarget) {
    this.message = {
      operation: call.method,
      endpoint: call.endpoint,
      safety: call.safety,
      environment: target.environment,
      attempts: 1,
      limiterWaitMs: 0,
    };
    const otel = target.otel;
    if (otel === undefined) return;
    this.otel = otel.api;
    this.instruments = otel.instruments();
    const attributes = (this.attributes = otel.operations.of(call));
    this.span = otel.tracer().startSpan(attributes.spanName, {
      kind: otel.api.SpanKind.INTERNAL,
      attributes: attributes.spanStart,
    });
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
    if (this.instruments !== undefined) {
      this.instruments.limiterWaits.add(1, this.attributes!.metric);
      this.instruments.limiterWaitDuration.record(waitMs / 1000, this.attributes!.metric);
    }
    if (secpaidChannels.limiterWait.hasSubscribers) {
      secpaidChannels.limiterWait.publish({ ...this.names(), waitMs });
    }
  }

  answered(httpStatus: number): void {
    this.message.httpStatus = httpStatus;
  }

  rateLimited(attempt: number, retrying: boolean, retryAfterMs: number | undefined): void {
    this.instruments?.rateLimited.add(1, this.attributes!.metric);
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
    this.instruments?.retries.add(1, { ...this.attributes!.metric, [A.errorType]: errorType });
    if (secpaidChannels.retry.hasSubscribers) {
      secpaidChannels.retry.publish({ ...this.names(), resendCount: attempt, delayMs, errorType });
    }
  }

  private finish(error: unknown): void {
    const message = this.message;
    // A call refused by validation never sent anything.
    if (error instanceof SecPaidValidationError) message.attempts = 0;
    const outcome = (message.outcome = error === undefined ? 'success' : 'error');
    if (error !== undefined) message.errorType = errorTypeOf(error);
    this.instruments?.operationDuration.record(
      (performance.now() - this.started) / 1000,
      this.attributes!.result(outcome, message.errorType, message.httpStatus),
    );
    const span = this.span;
    if (span === undefined) return;
    if (span.isRecording()) {
      span.setAttribute(A.outcome, outcome);
      span.setAttribute(A.attempts, message.attempts);
      span.setAttribute(A.limiterWaitMs, Math.round(message.limiterWaitMs));
      if (message.httpStatus !== undefined) span.setAttribute(A.httpStatusCode, message.httpStatus);
      if (message.errorType !== undefined) {
        span.setAttribute(A.errorType, message.errorType);
        // The class name only: error messages may quote server text.
        span.setStatus({ code: this.otel!.SpanStatusCode.ERROR, message: message.errorType });
      }
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
