import type { SecPaidService } from '../lib/index.js';
import { BENCH_AMOUNT } from './clients/bench-client.js';
import { runLoad } from './load.js';
import type { MockProcess } from './mock-process.js';
import { heapAfterGc, round } from './stats.js';

/** Result of benchmark 4. */
export interface MemoryResult {
  calls: number;
  concurrency: number;
  errors: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  growthMb: number;
}

const MB = 1024 * 1024;

/**
 * Benchmark 4: heap after GC before and after `calls` SecPaidService calls (half
 * getMyUnusedLinks, half createLink, 32 in flight), after a warm-up so JIT code and lazily built
 * state are already there. The mock is reset between batches so its list answers stay small.
 */
export async function benchMemory(
  mock: MockProcess,
  service: SecPaidService,
  options: { calls: number; batch: number; concurrency: number; warmup: number },
): Promise<MemoryResult> {
  const call = (i: number) =>
    i % 2 === 0
      ? service.getMyUnusedLinks()
      : service.createLink({ amount: BENCH_AMOUNT, note: `Memory ${i}` });
  await mock.reset();
  await runLoad(call, options.warmup, options.concurrency);
  await mock.reset();
  const before = await heapAfterGc();
  let errors = 0;
  for (let done = 0; done < options.calls; done += options.batch) {
    const result = await runLoad(
      call,
      Math.min(options.batch, options.calls - done),
      options.concurrency,
    );
    errors += result.errors;
    await mock.reset();
  }
  const after = await heapAfterGc();
  return {
    calls: options.calls,
    concurrency: options.concurrency,
    errors,
    heapBeforeMb: round(before / MB, 2),
    heapAfterMb: round(after / MB, 2),
    growthMb: round((after - before) / MB, 2),
  };
}
