import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';

/** The `@opentelemetry/api` namespace (an optional peer dependency). */
export type OpenTelemetry = typeof OpenTelemetryApi;

let loading: Promise<OpenTelemetry | undefined> | undefined;

/**
 * Loads `@opentelemetry/api` when the app has it, once per process; resolves to `undefined`
 * when it is not installed (or fails to load): telemetry then stays off and nothing breaks.
 *
 * Why a dynamic `import()` awaited by an async Nest provider: it works unchanged in the ESM
 * build and in a CommonJS build (no top-level await, no `import.meta`, no `require` of an ES
 * module). The API keeps its registrations on a global, so an SDK registered before or after
 * the module starts is found either way.
 */
export function loadOpenTelemetry(): Promise<OpenTelemetry | undefined> {
  loading ??= import('@opentelemetry/api').then(
    // Node may hand the CommonJS build over as `default` only.
    (api) => ('trace' in api ? api : (api as { default: OpenTelemetry }).default),
    () => undefined,
  );
  return loading;
}

/**
 * Runs `work` with `span` active, so spans started inside it (HTTP attempts, the confirming API
 * call) become its children; just runs it when OpenTelemetry is not loaded.
 */
export function runInSpan<T>(
  otel: OpenTelemetry | undefined,
  span: Span | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (otel === undefined || span === undefined) return work();
  return otel.context.with(otel.trace.setSpan(otel.context.active(), span), work);
}
