import type { BenchClient } from './clients/bench-client.js';
import { measureLoad, summarise, type LoadResult, type LoadSamples } from './load.js';
import type { MockProcess } from './mock-process.js';

/** One measured cell: a client, an endpoint, a concurrency. */
export interface OverheadRow extends LoadResult {
  client: string;
  endpoint: 'getMyUnusedLinks' | 'createLink';
}

/** Throughput of SecPaidService relative to the two baselines, per endpoint and concurrency. */
export interface OverheadRatio {
  endpoint: string;
  concurrency: number;
  /** SecPaidService calls/s divided by node:http calls/s. */
  serviceVsRawHttp: number;
  /** SecPaidService calls/s divided by bare axios calls/s. */
  serviceVsAxios: number;
  /** Client CPU µs per call: SecPaidService minus bare axios (what the module adds). */
  addedCpuUsVsAxios: number;
}

/** Links the mock holds while `getMyUnusedLinks` is measured (its default page size). */
const SEEDED_LINKS = 10;

/**
 * Benchmark 1: the same calls through node:http, bare axios and SecPaidService. Each cell
 * (endpoint x concurrency) runs `rounds` rounds of `calls / rounds` calls per client, the
 * clients interleaved and their order rotated each round, so drifting machine load hits all
 * three alike. Each client warms up at the cell's concurrency first; the mock is reset before
 * every run so list sizes and request logs stay constant.
 */
export async function benchOverhead(
  mock: MockProcess,
  clients: readonly BenchClient[],
  seeder: BenchClient,
  options: { calls: number; rounds: number; warmup: number; concurrency: readonly number[] },
): Promise<OverheadRow[]> {
  const rows: OverheadRow[] = [];
  const perRound = Math.ceil(options.calls / options.rounds);
  for (const endpoint of ['getMyUnusedLinks', 'createLink'] as const) {
    for (const concurrency of options.concurrency) {
      const callOf = (client: BenchClient) =>
        endpoint === 'createLink'
          ? (i: number) => client.createLink(`Order ${i}`)
          : () => client.getMyUnusedLinks();
      const samples = new Map<BenchClient, LoadSamples[]>(clients.map((c) => [c, []]));
      for (const client of clients) {
        await resetAndSeed(mock, seeder, endpoint);
        await measureLoad(callOf(client), options.warmup, concurrency);
      }
      for (let round = 0; round < options.rounds; round++) {
        for (let k = 0; k < clients.length; k++) {
          const client = clients[(k + round) % clients.length]!;
          await resetAndSeed(mock, seeder, endpoint);
          samples.get(client)!.push(await measureLoad(callOf(client), perRound, concurrency));
        }
      }
      for (const client of clients) {
        rows.push({
          client: client.name,
          endpoint,
          ...summarise(samples.get(client)!, concurrency),
        });
      }
    }
  }
  return rows;
}

/** c/a and c/b throughput ratios from the rows of {@link benchOverhead}. */
export function overheadRatios(rows: readonly OverheadRow[]): OverheadRatio[] {
  const ratios: OverheadRatio[] = [];
  for (const row of rows.filter((r) => r.client === 'SecPaidService')) {
    const same = (client: string) =>
      rows.find(
        (r) =>
          r.client === client && r.endpoint === row.endpoint && r.concurrency === row.concurrency,
      );
    const raw = same('node:http');
    const axios = same('axios');
    if (raw === undefined || axios === undefined) continue;
    ratios.push({
      endpoint: row.endpoint,
      concurrency: row.concurrency,
      serviceVsRawHttp: Math.round((row.callsPerSec / raw.callsPerSec) * 1000) / 1000,
      serviceVsAxios: Math.round((row.callsPerSec / axios.callsPerSec) * 1000) / 1000,
      addedCpuUsVsAxios: row.cpuUsPerCall - axios.cpuUsPerCall,
    });
  }
  return ratios;
}

/** Empties the mock and, for `getMyUnusedLinks`, seeds the links it answers with. */
export async function resetAndSeed(
  mock: MockProcess,
  seeder: BenchClient,
  endpoint: string,
): Promise<void> {
  await mock.reset();
  if (endpoint !== 'getMyUnusedLinks') return;
  for (let i = 0; i < SEEDED_LINKS; i++) await seeder.createLink(`Seed ${i}`);
}
