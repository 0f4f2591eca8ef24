import type { SecPaidCallObserver, SecPaidObservedCall } from '../http/secpaid-request.context.js';
import { HttpException } from '@nestjs/common';
import { SecPaidCallObservation, errorTypeOf, type SecPaidCallTarget } from './call.observation.js';
import {
  callChannelsHaveSubscribers,
  secpaidChannels,
  type SecPaidWebhookRecorder,
} from './diagnostics.channels.js';
import { loadOpenTelemetry, type OpenTelemetry } from './opentelemetry.loader.js';
import { SecPaidOperationAttributeCache } from './operation.attributes.js';
import { SecPaidInstrumentCache, SecPaidTracerCache } from './telemetry.instruments.js';
import { SECPAID_ATTRIBUTES as A, SECPAID_SPANS } from './telemetry.names.js';
import { SecPaidWebhookObservation } from './webhook.observation.js';

/**
 * True once anything registered with the OpenTelemetry API (an SDK's tracer, meter or context
 * manager): the API keeps its registrations under this global key (`api.<major version>`), so
 * the check needs no import.
 */
function openTelemetryRegistered(): boolean {
  return OPENTELEMETRY_GLOBAL in globalThis;
}

const OPENTELEMETRY_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/** What telemetry needs from the module options. */
export interface SecPaidTelemetrySettings {
  environment: string;
  baseUrl: string;
}

/**
 * Tracing, metrics and diagnostics channels of one module registration. With
 * `@opentelemetry/api` installed it records through whatever SDK the app registered (none: the
 * API's no-ops); diagnostics channels publish only while someone subscribes. With neither, a call
 * costs one check.
 */
export class SecPaidTelemetry {
  // Private, and built from a target, so that the declarations of the public classes that inject
  // it never name a type of the optional `@opentelemetry/api`.
  private constructor(private readonly target: SecPaidCallTarget) {}

  /** Set once `@opentelemetry/api` was loaded (or found missing) and attached to the target. */
  private attached = false;
  private attaching: Promise<void> | undefined;

  /**
   * Builds the telemetry. With an SDK registered already, start-up loads `@opentelemetry/api`
   * (`loadOpenTelemetry`) and waits for it, so the first call is traced; without one (an app that
   * does not trace), nothing is loaded at start-up: the first call, webhook or confirmation after
   * an SDK registers loads the API and waits for it, so an SDK registered later is still found.
   */
  static async create(settings: SecPaidTelemetrySettings): Promise<SecPaidTelemetry> {
    const telemetry = new SecPaidTelemetry(callTarget(settings));
    if (openTelemetryRegistered()) await telemetry.attach();
    return telemetry;
  }

  /** Loads the API (once per process) and gives the target its handles (once). */
  private attach(): Promise<void> {
    this.attaching ??= loadOpenTelemetry().then((otel) => {
      attachOpenTelemetry(this.target, otel);
      this.attached = true;
    });
    return this.attaching;
  }

  /**
   * Settles once the API is attached, when something registered with it since start-up;
   * undefined otherwise (attached already, or nothing registered).
   */
  private attachPending(): Promise<void> | undefined {
    return this.attached || !openTelemetryRegistered() ? undefined : this.attach();
  }

  /**
   * Runs one service call: span `secpaid <operation>` around it (active while it runs), the
   * `secpaid:call` trace, the duration histogram. `work` gets the observer to hand to the executor.
   */
  traceCall<T>(
    call: SecPaidObservedCall,
    work: (observer?: SecPaidCallObserver) => Promise<T>,
  ): Promise<T> {
    const pending = this.attachPending();
    if (pending !== undefined) return pending.then(() => this.traceCall(call, work));
    if (this.target.otel === undefined && !callChannelsHaveSubscribers()) return work(undefined);
    const observation = new SecPaidCallObservation(call, this.target);
    const run = () => observation.run(() => work(observation));
    const channel = secpaidChannels.call;
    return channel.hasSubscribers ? channel.tracePromise(run, observation.message) : run();
  }

  /** Runs one webhook request: span `secpaid webhook`, the `secpaid:webhook` trace, the outcome count. */
  traceWebhook<T>(work: (webhook: SecPaidWebhookRecorder) => Promise<T>): Promise<T> {
    const pending = this.attachPending();
    if (pending !== undefined) return pending.then(() => this.traceWebhook(work));
    const observation = new SecPaidWebhookObservation(this.target);
    const run = () => observation.run(() => work(observation));
    const channel = secpaidChannels.webhook;
    return channel.hasSubscribers ? channel.tracePromise(run, observation.message) : run();
  }

  /**
   * Runs one inline payment confirmation (`work` resolves to the confirmed event, or `undefined`
   * when the API does not show the payment in time and it is kept as pending): span `secpaid
   * webhook confirm` (the API lookups are its children), the gauge of confirmations under way,
   * the outcome count (`confirmed`, `pending`, `rejected` for a different amount, `error`).
   */
  async traceConfirmation<T>(
    payId: number,
    work: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const pending = this.attachPending();
    if (pending !== undefined) await pending;
    const otel = this.target.otel;
    if (otel === undefined) return work();
    const instruments = otel.instruments();
    const span = otel.tracer().startSpan(SECPAID_SPANS.confirmation, {
      kind: otel.api.SpanKind.INTERNAL,
      attributes: { [A.payId]: payId, [A.environment]: this.target.environment },
    });
    instruments.pendingConfirmations.add(1);
    let outcome = 'error';
    try {
      const result = await otel.api.context.with(
        otel.api.trace.setSpan(otel.api.context.active(), span),
        work,
      );
      outcome = result === undefined ? 'pending' : 'confirmed';
      return result;
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 400) outcome = 'rejected';
      else span.setStatus({ code: otel.api.SpanStatusCode.ERROR, message: errorTypeOf(error) });
      throw error;
    } finally {
      instruments.pendingConfirmations.add(-1);
      instruments.webhookConfirmations.add(1, { [A.confirmationOutcome]: outcome });
      span.setAttribute(A.confirmationOutcome, outcome);
      span.end();
    }
  }
}

/** Where the calls go; the OpenTelemetry handles are attached once the API is loaded. */
function callTarget(settings: SecPaidTelemetrySettings): SecPaidCallTarget {
  const url = new URL(settings.baseUrl);
  return {
    environment: settings.environment,
    serverAddress: url.hostname,
    serverPort: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
  };
}

/**
 * Gives `target` the OpenTelemetry handles (nothing when the API is not installed). They show
 * only while something is registered with the API: an app that has the API (often as a
 * dependency of a dependency) but no SDK pays one property check per call, not no-op spans.
 */
function attachOpenTelemetry(target: SecPaidCallTarget, otel: OpenTelemetry | undefined): void {
  if (otel === undefined) return;
  const instruments = new SecPaidInstrumentCache(otel);
  const tracers = new SecPaidTracerCache(otel);
  const handles: NonNullable<SecPaidCallTarget['otel']> = {
    api: otel,
    tracer: () => tracers.get(),
    instruments: () => instruments.get(),
    operations: new SecPaidOperationAttributeCache(target),
  };
  Object.defineProperty(target, 'otel', {
    get: () => (openTelemetryRegistered() ? handles : undefined),
    enumerable: true,
  });
}
