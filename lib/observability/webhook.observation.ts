import type { Span } from '@opentelemetry/api';
import { HttpException } from '@nestjs/common';
import { errorTypeOf, type SecPaidCallTarget } from './call.observation.js';
import type {
  SecPaidWebhookMessage,
  SecPaidWebhookOutcome,
  SecPaidObservedWebhook,
  SecPaidWebhookRecorder,
} from './diagnostics.channels.js';
import { runInSpan } from './opentelemetry.loader.js';
import { SECPAID_ATTRIBUTES as A, SECPAID_SPANS } from './telemetry.names.js';

/**
 * One webhook request as telemetry sees it: a `secpaid webhook` span (a child of the HTTP server
 * span), the `secpaid:webhook` trace message and the `secpaid.webhook.events` count by outcome.
 */
export class SecPaidWebhookObservation implements SecPaidWebhookRecorder {
  readonly message: SecPaidWebhookMessage = {};
  private readonly span: Span | undefined;

  constructor(private readonly target: SecPaidCallTarget) {
    this.span = target.otel?.tracer().startSpan(SECPAID_SPANS.webhook, {
      kind: target.otel.api.SpanKind.INTERNAL,
      attributes: { [A.environment]: target.environment },
    });
  }

  /** The body parsed into this event (told by the receiver). */
  parsed(event: SecPaidObservedWebhook): void {
    this.message.type = event.type;
    this.message.payId = event.payId;
    this.message.encrypted = event.encrypted;
    this.span?.setAttributes({
      [A.webhookType]: event.type,
      [A.payId]: event.payId,
      [A.webhookEncrypted]: event.encrypted,
    });
  }

  /** Says how the request ended when an error alone would not tell (`pending`). */
  settle(outcome: SecPaidWebhookOutcome): void {
    this.message.outcome = outcome;
  }

  /** Runs the receipt with the webhook span active (the confirming API call becomes its child). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await runInSpan(this.target.otel?.api, this.span, work);
      this.finish(undefined);
      return result;
    } catch (error) {
      this.finish(error);
      throw error;
    }
  }

  private finish(error: unknown): void {
    const outcome = (this.message.outcome ??=
      error === undefined ? 'dispatched' : outcomeOfError(error));
    const otel = this.target.otel;
    if (otel === undefined) return;
    const attributes = {
      [A.webhookType]: this.message.type ?? 'unknown',
      [A.webhookOutcome]: outcome,
    };
    otel.instruments().webhookEvents.add(1, attributes);
    const span = this.span!;
    span.setAttribute(A.webhookOutcome, outcome);
    // Refusing a bad or unconfirmed webhook is the receiver working, not failing.
    if (outcome === 'failed') {
      const errorType = errorTypeOf(error);
      span.setAttribute(A.errorType, errorType);
      span.setStatus({ code: otel.api.SpanStatusCode.ERROR, message: errorType });
    }
    span.end();
  }
}

function outcomeOfError(error: unknown): SecPaidWebhookOutcome {
  if (!(error instanceof HttpException)) return 'failed';
  const status = error.getStatus();
  if (status === 404) return 'disabled';
  return status === 400 ? 'rejected' : 'failed';
}
