import type {
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  Tracer,
  TracerProvider,
  UpDownCounter,
} from '@opentelemetry/api';
import { SECPAID_PACKAGE_VERSION } from '../secpaid.constants.js';
import type { OpenTelemetry } from './opentelemetry.loader.js';
import {
  SECPAID_DURATION_BUCKETS_S,
  SECPAID_INSTRUMENTATION_SCOPE,
  SECPAID_METRICS,
} from './telemetry.names.js';

/** The package's metric instruments, made from one meter. */
export interface SecPaidInstruments {
  operationDuration: Histogram;
  rateLimited: Counter;
  retries: Counter;
  limiterWaits: Counter;
  limiterWaitDuration: Histogram;
  webhookEvents: Counter;
  webhookConfirmations: Counter;
  pendingConfirmations: UpDownCounter;
}

/**
 * Hands out the instruments of the meter provider registered now. Metrics, unlike traces, have
 * no proxy provider in `@opentelemetry/api`: instruments made before an SDK is registered stay
 * no-ops forever, so they are remade whenever the global provider changes (one identity check
 * per use).
 */
export class SecPaidInstrumentCache {
  private provider: MeterProvider | undefined;
  private instruments: SecPaidInstruments | undefined;

  constructor(private readonly otel: OpenTelemetry) {}

  get(): SecPaidInstruments {
    const provider = this.otel.metrics.getMeterProvider();
    if (provider !== this.provider || this.instruments === undefined) {
      this.provider = provider;
      this.instruments = createInstruments(
        provider.getMeter(SECPAID_INSTRUMENTATION_SCOPE, SECPAID_PACKAGE_VERSION),
      );
    }
    return this.instruments;
  }
}

/**
 * Hands out the package's tracer. The API's tracer is a proxy that follows later registrations,
 * but `trace.disable()` replaces the global proxy and leaves the old one pointing at the old
 * provider; looking the provider up each time (one identity check) follows that too.
 */
export class SecPaidTracerCache {
  private provider: TracerProvider | undefined;
  private tracer: Tracer | undefined;

  constructor(private readonly otel: OpenTelemetry) {}

  get(): Tracer {
    const provider = this.otel.trace.getTracerProvider();
    if (provider !== this.provider || this.tracer === undefined) {
      this.provider = provider;
      this.tracer = provider.getTracer(SECPAID_INSTRUMENTATION_SCOPE, SECPAID_PACKAGE_VERSION);
    }
    return this.tracer;
  }
}

function createInstruments(meter: Meter): SecPaidInstruments {
  const seconds = (description: string) => ({
    description,
    unit: 's',
    advice: { explicitBucketBoundaries: [...SECPAID_DURATION_BUCKETS_S] },
  });
  return {
    operationDuration: meter.createHistogram(
      SECPAID_METRICS.operationDuration,
      seconds('Duration of SecPaid service calls, retries and limiter waits included'),
    ),
    rateLimited: meter.createCounter(SECPAID_METRICS.rateLimited, {
      description: 'SecPaid answers with HTTP 429',
      unit: '{response}',
    }),
    retries: meter.createCounter(SECPAID_METRICS.retries, {
      description: 'SecPaid requests sent again after a failed attempt',
      unit: '{retry}',
    }),
    limiterWaits: meter.createCounter(SECPAID_METRICS.limiterWaits, {
      description: 'SecPaid requests held back by the rate limiter',
      unit: '{request}',
    }),
    limiterWaitDuration: meter.createHistogram(
      SECPAID_METRICS.limiterWaitDuration,
      seconds('Time SecPaid requests waited for the rate limiter'),
    ),
    webhookEvents: meter.createCounter(SECPAID_METRICS.webhookEvents, {
      description: 'SecPaid webhook requests by outcome',
      unit: '{request}',
    }),
    webhookConfirmations: meter.createCounter(SECPAID_METRICS.webhookConfirmations, {
      description: 'Payment confirmations against the SecPaid API by outcome',
      unit: '{confirmation}',
    }),
    pendingConfirmations: meter.createUpDownCounter(SECPAID_METRICS.pendingConfirmations, {
      description: 'Payment confirmations waiting for the SecPaid API to show the payment',
      unit: '{confirmation}',
    }),
  };
}
