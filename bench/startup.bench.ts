import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, round } from './stats.js';

/** Medians of the cold start-up runs (benchmark 5). */
export interface StartupResult {
  runs: number;
  /** Median ms to import the modules, NestFactory.create and app.init() of the empty app. */
  without: { importMs: number; createPlusInitMs: number; totalMs: number };
  with: { importMs: number; createPlusInitMs: number; totalMs: number };
  /** with.createPlusInitMs - without.createPlusInitMs. */
  addedInitMs: number;
  /** with.totalMs - without.totalMs (imports included). */
  addedTotalMs: number;
}

interface Sample {
  importMs: number;
  createMs: number;
  initMs: number;
  totalMs: number;
}

const CHILD = fileURLToPath(new URL('./startup-child.js', import.meta.url));

function runChild(variant: 'with' | 'without'): Promise<Sample> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, variant], (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as Sample);
    });
  });
}

function summarise(samples: Sample[]) {
  return {
    importMs: round(median(samples.map((s) => s.importMs)), 1),
    createPlusInitMs: round(median(samples.map((s) => s.createMs + s.initMs)), 1),
    totalMs: round(median(samples.map((s) => s.totalMs)), 1),
  };
}

/**
 * Benchmark 5: `runs` cold starts of a minimal Express app with and without
 * `SecPaidModule.forRoot()`, alternating, each in a fresh process; medians.
 */
export async function benchStartup(runs: number): Promise<StartupResult> {
  const samples = { with: [] as Sample[], without: [] as Sample[] };
  for (let i = 0; i < runs; i++) {
    samples.without.push(await runChild('without'));
    samples.with.push(await runChild('with'));
  }
  const without = summarise(samples.without);
  const withModule = summarise(samples.with);
  return {
    runs,
    without,
    with: withModule,
    addedInitMs: round(withModule.createPlusInitMs - without.createPlusInitMs, 1),
    addedTotalMs: round(withModule.totalMs - without.totalMs, 1),
  };
}
