import { context, metrics, trace } from '@opentelemetry/api';
import type {
  SecPaidCallObserver,
  SecPaidObservedCall,
} from '../lib/http/secpaid-request.context.js';
import { SECPAID_ENDPOINTS } from '../lib/service/secpaid-endpoints.js';
import { SecPaidTelemetry } from '../lib/observability/secpaid.telemetry.js';
import { round } from './stats.js';
import { InMemorySdk } from './tracing.bench.js';

/** Benchmark 7's in-process part: what the traced path costs per call, without HTTP. */
export interface TracedPathResult {
  /** `SecPaidTelemetry.traceCall` around an empty call, `@opentelemetry/api` loaded, no SDK. */
  noSdkUs: number;
  /** The same with the whole SDK registered (what this package records per call). */
  sdkUs: number;
  /**
   * With the SDK registered, the least any instrumentation records for such a call: one span
   * with the same attributes made active around the call, one histogram record with the same
   * attributes. `sdkUs - floorUs` is what this package adds beyond that floor.
   */
  floorUs: number;
}

const CALLS = 50_000;

/**
 * Measures the instrumented path alone, in-process (no HTTP, no mock), so the package's own
 * share of benchmark 7's overhead can be told from the SDK's. Each variant runs warm, three
 * times; the best run counts (the least disturbed by other load).
 */
export async function benchTracedPath(): Promise<TracedPathResult> {
  const telemetry = await SecPaidTelemetry.create({
    environment: 'development',
    baseUrl: 'http://127.0.0.1:8080',
  });
  const call: SecPaidObservedCall = SECPAID_ENDPOINTS.getMyUnusedLinks;
  // The call's only event: its answer (as the executor reports it).
  const answered = async (observer?: SecPaidCallObserver) => observer?.answered(200);
  const traced = () => telemetry.traceCall(call, answered);
  const sdk = new InMemorySdk();
  try {
    const drain = () => sdk.drain();
    const noSdkUs = await usPerCall(traced, drain);
    sdk.on('sdk');
    const floor = bareInstrumentation();
    const sdkUs = await usPerCall(traced, drain);
    const floorUs = await usPerCall(floor, drain);
    await sdk.off();
    return { noSdkUs: round(noSdkUs, 2), sdkUs: round(sdkUs, 2), floorUs: round(floorUs, 2) };
  } finally {
    await sdk.shutdown();
  }
}

/** One span (same name and attributes) active around the call, one histogram record. */
function bareInstrumentation(): () => Promise<unknown> {
  const tracer = trace.getTracer('bench-floor');
  const histogram = metrics.getMeter('bench-floor').createHistogram('bench.floor.duration');
  const startAttributes = {
    'secpaid.operation': 'getMyUnusedLinks',
    'secpaid.endpoint': 'getMyUnusedLinks',
    'secpaid.safety_class': 'read',
    'secpaid.environment': 'development',
    'server.address': '127.0.0.1',
    'server.port': 8080,
  };
  const metricAttributes = {
    'secpaid.operation': 'getMyUnusedLinks',
    'secpaid.endpoint': 'getMyUnusedLinks',
    'secpaid.safety_class': 'read',
    'secpaid.outcome': 'success',
    'http.request.method': 'POST',
    'http.response.status_code': 200,
  };
  return async () => {
    const started = performance.now();
    const span = tracer.startSpan('secpaid getMyUnusedLinks', { attributes: startAttributes });
    await context.with(trace.setSpan(context.active(), span), async () => undefined);
    span.setAttribute('secpaid.outcome', 'success');
    span.setAttribute('secpaid.attempts', 1);
    span.setAttribute('secpaid.limiter.wait_ms', 0);
    span.setAttribute('http.response.status_code', 200);
    span.end();
    histogram.record((performance.now() - started) / 1000, metricAttributes);
  };
}

/** Best of three runs of `CALLS` calls, after a warm-up; `between` empties the exporter. */
async function usPerCall(
  work: () => Promise<unknown>,
  between: () => Promise<void>,
): Promise<number> {
  for (let i = 0; i < CALLS / 10; i++) await work();
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    await between();
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) await work();
    best = Math.min(best, ((performance.now() - started) * 1000) / CALLS);
  }
  await between();
  return best;
}
