import { context, metrics, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';

/** One metric data point as the tests read it. */
export interface RecordedPoint {
  name: string;
  attributes: Attributes;
  /** Sum of a counter, count of a histogram. */
  value: number;
}

/**
 * The OpenTelemetry SDK as an app would register it, with in-memory exporters: finished spans
 * and cumulative metrics can be read back. `uninstall()` restores the API's no-op globals.
 */
export class InMemoryOpenTelemetry {
  readonly spans = new InMemorySpanExporter();
  private readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    // Never on its own: tests collect explicitly.
    exportIntervalMillis: 2_147_483_647,
  });
  private readonly tracerProvider: BasicTracerProvider;
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private readonly contextManager = new AsyncLocalStorageContextManager();

  private constructor(sampler: Sampler | undefined) {
    this.tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(this.spans)],
      ...(sampler === undefined ? {} : { sampler }),
    });
  }

  /** Registers the SDK; `sampler` replaces the default (every span sampled). */
  static install(options: { sampler?: Sampler } = {}): InMemoryOpenTelemetry {
    const sdk = new InMemoryOpenTelemetry(options.sampler);
    context.setGlobalContextManager(sdk.contextManager.enable());
    trace.setGlobalTracerProvider(sdk.tracerProvider);
    metrics.setGlobalMeterProvider(sdk.meterProvider);
    return sdk;
  }

  /** Finished spans called `name`. */
  finished(name: string): ReadableSpan[] {
    return this.spans.getFinishedSpans().filter((span) => span.name === name);
  }

  /** Every data point of every metric recorded so far (cumulative). */
  async points(): Promise<RecordedPoint[]> {
    this.metricExporter.reset();
    await this.reader.forceFlush();
    const last = this.metricExporter.getMetrics().at(-1);
    const metricData: MetricData[] = last?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
    return metricData.flatMap((metric) =>
      (metric.dataPoints as DataPoint<unknown>[]).map((point) => ({
        name: metric.descriptor.name,
        attributes: point.attributes,
        value:
          typeof point.value === 'number' ? point.value : (point.value as { count: number }).count,
      })),
    );
  }

  /** The data points of `name` whose attributes include `match`. */
  async pointsOf(name: string, match: Attributes = {}): Promise<RecordedPoint[]> {
    return (await this.points()).filter(
      (point) =>
        point.name === name &&
        Object.entries(match).every(([key, value]) => point.attributes[key] === value),
    );
  }

  async uninstall(): Promise<void> {
    await this.tracerProvider.shutdown();
    await this.meterProvider.shutdown();
    trace.disable();
    metrics.disable();
    context.disable();
  }
}

/** Everything an exporter would ship, as one string (to prove no secret is in it). */
export async function everythingExported(sdk: InMemoryOpenTelemetry): Promise<string> {
  const spans = sdk.spans.getFinishedSpans().map((span) => ({
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
  }));
  return JSON.stringify({ spans, points: await sdk.points() });
}
