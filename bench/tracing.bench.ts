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

/** One cell of benchmark 7: the same calls with tracing off, with the context manager only, and on. */
export interface TracingRow {
  endpoint: 'getMyUnusedLinks' | 'createLink';
  concurrency: number;
  off: LoadResult;
  /** Only the SDK's context manager registered: what making a span active costs by itself. */
  context: LoadResult;
  on: LoadResult;
  /** calls/s with tracing on divided by calls/s with it off (goal: >= 0.95). */
  ratio: number;
  /** calls/s with the context manager only, divided by calls/s off. */
  contextRatio: number;
  /** Client CPU µs per call added by tracing. */
  addedCpuUsPerCall: number;
  /** Spans exported while tracing was on (one per call: proves it was really on). */
  spansPerCall: number;
}

/**
 * Which parts of the SDK to register: only the context manager, that and the tracer provider,
 * or everything (what benchmark 7 measures). The smaller sets tell the parts' costs apart when
 * profiling (bench/profile.ts).
 */
export type InMemorySdkParts = 'context' | 'traces' | 'sdk';

/**
 * The OpenTelemetry SDK as an app registers it (AsyncLocalStorage context, a tracer provider
 * with the batch processor production setups use, a meter provider with a periodic reader),
 * exporting to memory. The queue is large enough that no span is dropped.
 */
export class InMemorySdk {
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

  on(parts: InMemorySdkParts = 'sdk'): void {
    context.setGlobalContextManager(this.contextManager.enable());
    if (parts === 'context') return;
    trace.setGlobalTracerProvider(this.tracerProvider);
    if (parts === 'sdk') metrics.setGlobalMeterProvider(this.meterProvider);
  }

  /** Exports what the batch processor holds, counts it, and empties the exporter. */
  async drain(): Promise<void> {
    await this.tracerProvider.forceFlush();
    this.exported += this.spans.getFinishedSpans().length;
    this.spans.reset();
  }

  async off(): Promise<void> {
    await this.drain();
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
 * Benchmark 7: `SecPaidService` calls with no OpenTelemetry SDK registered (the API's no-ops),
 * with only the SDK's context manager, and with the whole SDK (in-memory exporters), in the same
 * process and app. Rounds alternate the modes (order rotated each round) so drifting machine
 * load hits all alike.
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
  const modes = ['off', 'context', 'sdk'] as const;
  try {
    for (const endpoint of ['getMyUnusedLinks', 'createLink'] as const) {
      const call =
        endpoint === 'createLink'
          ? (i: number) => client.createLink(`Order ${i}`)
          : () => client.getMyUnusedLinks();
      for (const concurrency of options.concurrency) {
        const samples = {
          off: [] as LoadSamples[],
          context: [] as LoadSamples[],
          sdk: [] as LoadSamples[],
        };
        const run = async (mode: (typeof modes)[number], n: number, keep: boolean) => {
          if (mode !== 'off') sdk.on(mode);
          await resetAndSeed(mock, seeder, endpoint);
          const result = await measureLoad(call, n, concurrency);
          if (keep) samples[mode].push(result);
          if (mode !== 'off') await sdk.off();
        };
        for (const mode of modes) await run(mode, options.warmup, false);
        sdk.exported = 0;
        for (let round = 0; round < options.rounds; round++) {
          const shift = round % modes.length;
          for (const mode of [...modes.slice(shift), ...modes.slice(0, shift)]) {
            await run(mode, perRound, true);
          }
        }
        const off = summarise(samples.off, concurrency);
        const context = summarise(samples.context, concurrency);
        const on = summarise(samples.sdk, concurrency);
        rows.push({
          endpoint,
          concurrency,
          off,
          context,
          on,
          ratio: on.callsPerSec / off.callsPerSec,
          contextRatio: context.callsPerSec / off.callsPerSec,
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
