import type { MemoryResult } from './memory.bench.js';
import type { OverheadRatio, OverheadRow } from './overhead.bench.js';
import type { ProbeResult } from './probe.bench.js';
import type { RateLimitResult } from './rate-limit.bench.js';
import type { ReplicasResult } from './replicas.bench.js';
import type { StartupResult } from './startup.bench.js';
import type { TracedPathResult } from './traced-path.bench.js';
import type { TracingRow } from './tracing.bench.js';

/** Everything one `npm run bench` measured; written to bench/results.json. */
export interface BenchResults {
  generatedAt: string;
  environment: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    /** os.loadavg()[0] when the run started and ended: other work on the machine skews timings. */
    loadAverage1m: { start: number; end: number };
    /** How the client and the mock were placed. */
    setup: string;
  };
  settings: Record<string, number | string | boolean>;
  overhead: { rows: OverheadRow[]; ratios: OverheadRatio[] };
  probes: ProbeResult;
  rateLimit: {
    reference: RateLimitResult;
    withinWindow: RateLimitResult;
    /** Absent with --quick / --no-window; `timedOut` when it outlived the runner's deadline. */
    overWindow?: RateLimitResult | { timedOut: true; afterMs: number };
  };
  memory: MemoryResult;
  startup: StartupResult;
  /** Absent with --quick / --no-replicas. */
  replicas?: ReplicasResult;
  /** Benchmark 7: tracing off (no SDK), context manager only, on (SDK with in-memory exporters). */
  tracing: TracingRow[];
  /** Benchmark 7, in-process: the traced path alone, without HTTP. */
  tracedPath: TracedPathResult;
  durationSec: number;
}

/** One table row: benchmark, variant, result, goal. */
export type Row = [string, string, string, string];

/** The goal of benchmark 7: tracing costs at most 5 % of calls/s. */
export const TRACING_RATIO_GOAL = 0.95;

const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Renders the one table `npm run bench` prints. */
export function renderTable(results: BenchResults): string {
  const rows: Row[] = [];
  const { overhead, probes, rateLimit, memory, startup } = results;
  for (const row of overhead.rows) {
    const mode = row.concurrency === 1 ? 'sequential' : `${row.concurrency} in flight`;
    rows.push([
      `1 overhead: ${row.endpoint}, ${mode}`,
      row.client,
      `${fmt(row.callsPerSec)} calls/s, p50 ${fmt(row.p50Ms, 2)} ms, p99 ${fmt(row.p99Ms, 2)} ms, ` +
        `client CPU ${fmt(row.cpuUsPerCall)} µs/call` +
        (row.errors ? `, ${row.errors} ERRORS` : ''),
      '',
    ]);
  }
  for (const ratio of overhead.ratios) {
    const mode = ratio.concurrency === 1 ? 'sequential' : `${ratio.concurrency} in flight`;
    rows.push([
      `1 ratio: ${ratio.endpoint}, ${mode}`,
      'SecPaidService / axios (c/b)',
      `${fmt(ratio.serviceVsAxios * 100, 1)}% of axios, ${fmt(ratio.serviceVsRawHttp * 100, 1)}% of node:http (c/a); ` +
        `CPU ${ratio.addedCpuUsVsAxios >= 0 ? '+' : ''}${fmt(ratio.addedCpuUsVsAxios)} µs/call vs axios`,
      ratio.serviceVsAxios >= 0.9 ? '>= 90%: met' : '>= 90%: MISSED',
    ]);
  }
  rows.push([
    `2 probes: ${probes.probes} over ${fmt(probes.durationMs / 1000, 1)} s`,
    `cacheTtlMs ${probes.cacheTtlMs}, ${probes.probesPerTick} at a time`,
    `${probes.upstreamCalls} upstream calls (${probes.down} down); cached p50 ${fmt(probes.cachedP50Ms, 3)} ms, p99 ${fmt(probes.cachedP99Ms, 3)} ms; uncached max ${fmt(probes.uncachedMaxMs, 1)} ms`,
    `<= ${probes.upstreamGoal} (1 per TTL): ${probes.upstreamCalls <= probes.upstreamGoal ? 'met' : 'MISSED'}`,
  ]);
  const over = rateLimit.overWindow;
  for (const burst of [rateLimit.reference, rateLimit.withinWindow, over]) {
    if (burst === undefined) continue;
    if ('timedOut' in burst) {
      rows.push([
        '3 rate limit: over-window burst',
        `${results.settings['overWindowPerMinute']}/min both sides`,
        `not finished after ${fmt(burst.afterMs / 1000, 0)} s: stopped to keep the 3-minute budget`,
        '0 x 429: UNKNOWN',
      ]);
      continue;
    }
    const limit =
      burst.requestsPerMinute === false
        ? 'limits off (reference)'
        : `${burst.requestsPerMinute}/min both sides`;
    rows.push([
      `3 rate limit: ${burst.calls} createLink at once`,
      limit,
      `${burst.rateLimited} x 429, ${burst.failed} failed, ${fmt(burst.totalMs / 1000, 2)} s total ` +
        `(server minimum ${fmt(burst.theoreticalMinMs / 1000, 0)} s` +
        (burst.limiterWindowMs === null
          ? ')'
          : `, limiter window ${fmt(burst.limiterWindowMs / 1000, 0)} s: minimum ${fmt(burst.limiterMinMs / 1000, 0)} s)`),
      burst.requestsPerMinute === false
        ? ''
        : `0 x 429: ${burst.rateLimited === 0 ? 'met' : 'MISSED'}`,
    ]);
  }
  rows.push([
    `4 memory: ${fmt(memory.calls)} SecPaidService calls`,
    `${memory.concurrency} in flight, heap after GC`,
    `${fmt(memory.heapBeforeMb, 2)} MB -> ${fmt(memory.heapAfterMb, 2)} MB (${memory.growthMb >= 0 ? '+' : ''}${fmt(memory.growthMb, 2)} MB)`,
    `< 5 MB: ${memory.growthMb < 5 ? 'met' : 'MISSED'}`,
  ]);
  rows.push([
    `5 start-up: median of ${startup.runs} cold processes`,
    'create + app.init()',
    `without ${fmt(startup.without.createPlusInitMs, 1)} ms, with SecPaidModule ${fmt(startup.with.createPlusInitMs, 1)} ms (+${fmt(startup.addedInitMs, 1)} ms)`,
    '',
  ]);
  rows.push([
    '5 start-up incl. imports',
    'import + create + init',
    `without ${fmt(startup.without.totalMs, 1)} ms, with ${fmt(startup.with.totalMs, 1)} ms (+${fmt(startup.addedTotalMs, 1)} ms)`,
    '',
  ]);
  if (results.replicas) rows.push(...replicasRows(results.replicas));
  rows.push(...tracingRows(results.tracing, results.tracedPath));
  return formatTable(rows);
}

/** The rows of benchmark 7 (`npm run bench -- --only tracing` prints just these). */
export function tracingRows(tracing: readonly TracingRow[], path: TracedPathResult): Row[] {
  const cells = tracing.map((row): Row => {
    const mode = row.concurrency === 1 ? 'sequential' : `${row.concurrency} in flight`;
    const errors = row.on.errors + row.context.errors + row.off.errors;
    return [
      `7 tracing: ${row.endpoint}, ${mode}`,
      'SDK + in-memory exporter / no SDK',
      `on ${fmt(row.on.callsPerSec)} vs off ${fmt(row.off.callsPerSec)} calls/s = ` +
        `${fmt(row.ratio, 3)} (context manager alone: ${fmt(row.contextRatio, 3)}); ` +
        `CPU ${row.addedCpuUsPerCall >= 0 ? '+' : ''}${fmt(row.addedCpuUsPerCall)} µs/call; ` +
        `${fmt(row.spansPerCall, 2)} spans/call` +
        (errors ? `, ${errors} ERRORS` : ''),
      `>= ${TRACING_RATIO_GOAL}: ${row.ratio >= TRACING_RATIO_GOAL ? 'met' : 'MISSED'}`,
    ];
  });
  const added = path.sdkUs - path.floorUs;
  return [
    ...cells,
    [
      '7 tracing: traced path alone, no HTTP',
      'µs per call',
      `no SDK ${fmt(path.noSdkUs, 2)}; SDK ${fmt(path.sdkUs, 2)}, of which a bare span + ` +
        `histogram record ${fmt(path.floorUs, 2)} (package adds ${added >= 0 ? '+' : ''}${fmt(added, 2)})`,
      'informational',
    ],
  ];
}

/** Lays rows out as one Markdown table. */
export function formatTable(rows: readonly Row[]): string {
  const header: Row = ['benchmark', 'variant', 'result', 'goal'];
  return table(header, rows);
}

function table(header: Row, rows: readonly Row[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: Row) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  const rule = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function replicasRows(replicas: ReplicasResult): Row[] {
  const rows: Row[] = replicas.scenarios.map((s) => {
    const met = s.rateLimited === 0 && s.peakIn60s <= 60 && s.usefulShare >= 0.95;
    return [
      `6 replicas: ${s.calls} calls at once over ${s.replicas} process${s.replicas > 1 ? 'es' : ''}`,
      'one key, Redis, strict 60 per sliding 60 s',
      `${s.rateLimited} x 429, ${s.failed} failed, peak ${s.peakIn60s} in 60 s, useful share ` +
        `${fmt(s.usefulShare, 3)} of 2 windows, ${fmt(s.totalMs / 1000, 1)} s total`,
      `0 x 429, <= 60, >= 0.95: ${met ? 'met' : 'MISSED'}`,
    ];
  });
  const { latency } = replicas;
  rows.push([
    `6 Redis latency: ${latency.calls} sequential calls`,
    'same app without / with redis',
    `p50 ${fmt(latency.withoutRedis.p50Ms, 2)} -> ${fmt(latency.withRedis.p50Ms, 2)} ms ` +
      `(+${fmt(latency.addedP50Ms, 2)}), p99 ${fmt(latency.withoutRedis.p99Ms, 2)} -> ` +
      `${fmt(latency.withRedis.p99Ms, 2)} ms (+${fmt(latency.addedP99Ms, 2)})`,
    '',
  ]);
  return rows;
}

/** The replicas benchmark alone (`--replicas-only`), as a table. */
export function renderReplicasRows(replicas: ReplicasResult): string[] {
  return [table(['benchmark', 'variant', 'result', 'goal'], replicasRows(replicas))];
}
