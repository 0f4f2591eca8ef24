import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { BenchClient } from './clients/bench-client.js';
import { measureLoad, summarise, type LoadResult, type LoadSamples } from './load.js';
import type { MockProcess } from './mock-process.js';
import { resetAndSeed } from './overhead.bench.js';

/** One cell of benchmark 7: the same calls with tracing off and on. */
export interface TracingRow {
  endpoint: 'getMyUnusedLinks' | 'createLink';
  concurrency: number;
  off: LoadResult;
  on: LoadResult;
  /** calls/s with tracing on divided by calls/s with it off (goal: >= 0.95). */
  ratio: number;
  /** Client CPU µs per call added by tracing. */
  addedCpuUsPerCall: number;
  /** Spans exported while tracing was on (one per call: proves it was really on). */
  spansPerCall: number;
}

/**
 * The OpenTelemetry SDK as an app registers it (AsyncLocalStorage context, a tracer provider
 * with the batch processor production setups use, a meter provider with a periodic reader),
 * exporting to memory. The queue is large enough that no span is dropped.
 */
class InMemorySdk {
  readonly spans = new InMemorySpanExporter();
  private readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [
      new BatchSpanProcessor(this.spans, { maxQueueSize: 100_000, maxExportBatchSize: 1_000 }),
    ],
  });
  private readonly meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        exportIntervalMillis: 60_000,
      }),
    ],
  });
  private readonly contextManager = new AsyncLocalStorageContextManager();
  exported = 0;

  on(): void {
    context.setGlobalContextManager(this.contextManager.enable());
    trace.setGlobalTracerProvider(this.tracerProvider);
    metrics.setGlobalMeterProvider(this.meterProvider);
  }

  async off(): Promise<void> {
    await this.tracerProvider.forceFlush();
    this.exported += this.spans.getFinishedSpans().length;
    this.spans.reset();
    trace.disable();
    metrics.disable();
    context.disable();
    this.contextManager.disable();
  }

  async shutdown(): Promise<void> {
    await this.tracerProvider.shutdown();
    await this.meterProvider.shutdown();
  }
}

/**
 * Benchmark 6: `SecPaidService` calls with no OpenTelemetry SDK registered (the API's no-ops)
 * against an SDK registered with in-memory exporters, in the same process and app. Rounds
 * alternate off/on (order rotated each round) so drifting machine load hits both alike.
 */
export async function benchTracing(
  mock: MockProcess,
  client: BenchClient,
  seeder: BenchClient,
  options: { calls: number; rounds: number; warmup: number; concurrency: readonly number[] },
): Promise<TracingRow[]> {
  const sdk = new InMemorySdk();
  const rows: TracingRow[] = [];
  const perRound = Math.ceil(options.calls / options.rounds);
  try {
    for (const endpoint of ['getMyUnusedLinks', 'createLink'] as const) {
      const call =
        endpoint === 'createLink'
          ? (i: number) => client.createLink(`Order ${i}`)
          : () => client.getMyUnusedLinks();
      for (const concurrency of options.concurrency) {
        const samples = { off: [] as LoadSamples[], on: [] as LoadSamples[] };
        const run = async (mode: 'off' | 'on', n: number, keep: boolean) => {
          if (mode === 'on') sdk.on();
          await resetAndSeed(mock, seeder, endpoint);
          const result = await measureLoad(call, n, concurrency);
          if (keep) samples[mode].push(result);
          if (mode === 'on') await sdk.off();
        };
        await run('off', options.warmup, false);
        await run('on', options.warmup, false);
        sdk.exported = 0;
        for (let round = 0; round < options.rounds; round++) {
          const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
          for (const mode of order) await run(mode, perRound, true);
        }
        const off = summarise(samples.off, concurrency);
        const on = summarise(samples.on, concurrency);
        rows.push({
          endpoint,
          concurrency,
          off,
          on,
          ratio: on.callsPerSec / off.callsPerSec,
          addedCpuUsPerCall: on.cpuUsPerCall - off.cpuUsPerCall,
          spansPerCall: sdk.exported / on.calls,
        });
      }
    }
  } finally {
    await sdk.shutdown();
  }
  return rows;
}
