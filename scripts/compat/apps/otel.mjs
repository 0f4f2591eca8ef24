// OpenTelemetry consumer: `tracing.mjs` is the docs' `src/tracing.ts` (docs/observability.md,
// transpiled as written) and starts the SDK installed by the docs' install line; the exporter
// comes from the standard variable (console). The shared flow then runs, and the package's
// `secpaid createLink` span must be among the spans the SDK exported.
import { readFileSync } from 'node:fs';

const exported = [];
const dir = console.dir.bind(console);
// The console exporter prints each finished span with console.dir: keep them instead.
console.dir = (value, ...rest) => {
  if (value && typeof value === 'object' && 'traceId' in value && 'name' in value) {
    exported.push(value);
  } else dir(value, ...rest);
};
process.env.OTEL_TRACES_EXPORTER = 'console';
process.env.OTEL_METRICS_EXPORTER = 'none';
process.env.OTEL_LOGS_EXPORTER = 'none';

// The SDK starts before Nest and nestjs-secpaid load, as `node --import ./tracing.js` would.
const { sdk } = await import('./tracing.mjs');
await import('reflect-metadata');
const [common, core, config, terminus, main, health, testing, flow] = await Promise.all([
  import('@nestjs/common'),
  import('@nestjs/core'),
  import('@nestjs/config'),
  import('@nestjs/terminus'),
  import('nestjs-secpaid'),
  import('nestjs-secpaid/health'),
  import('nestjs-secpaid/testing'),
  import('./flow.cjs'),
]);

let exitCode = await flow.default.runFlow(
  { common, core, config, terminus, main, health, testing },
  'esm + OpenTelemetry SDK',
);
await sdk.shutdown(); // flushes the last spans

// Read from disk: @opentelemetry/api's `exports` do not list its package.json.
const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
const names = [...new Set(exported.map((span) => span.name))];
const seen = names.includes('secpaid createLink');
const versions = `api ${version('@opentelemetry/api')}, sdk-node ${version('@opentelemetry/sdk-node')}`;
console.log(
  `COMPAT ${JSON.stringify({
    step: 'otel-span',
    status: seen ? 'pass' : 'fail',
    detail: `${versions}: ${exported.length} spans exported (${names.join(', ')})`,
  })}`,
);
if (!seen) exitCode = 1;
process.exitCode = exitCode;
