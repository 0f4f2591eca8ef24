/**
 * Profiling helper (not part of `npm run bench`): `node --cpu-prof bench/dist/bench/profile.js
 * [createLink|getMyUnusedLinks] [calls] [off|context|traces|sdk]` drives SecPaidService against
 * a mock child so the .cpuprofile shows only the client's side. The third argument registers
 * parts of an OpenTelemetry SDK (benchmark 7's in-memory one): none, only the context manager,
 * the context manager and the tracer provider, or everything; each 5000 calls print the
 * client CPU per call, so the parts' costs can be told apart. `PROFILE_CONCURRENCY=32` keeps 32
 * calls in flight (default 1).
 */
import { SecPaidServiceClient } from './clients/secpaid-service.client.js';
import { runLoad } from './load.js';
import { MockProcess } from './mock-process.js';
import { InMemorySdk, type InMemorySdkParts } from './tracing.bench.js';

const endpoint = process.argv[2] ?? 'createLink';
const calls = Number(process.argv[3] ?? 20_000);
const otel = (process.argv[4] ?? 'off') as InMemorySdkParts | 'off';
const mock = await MockProcess.start(false);
const client = await SecPaidServiceClient.create(mock.baseUrl, mock.apiKey);
const sdk = new InMemorySdk();
if (otel !== 'off') sdk.on(otel);
try {
  const call =
    endpoint === 'createLink'
      ? (i: number) => client.createLink(`Order ${i}`)
      : () => client.getMyUnusedLinks();
  for (let done = 0; done < calls; done += 5000) {
    for (let i = 0; i < 10; i++) await client.createLink(`Seed ${i}`);
    const result = await runLoad(call, 5000, Number(process.env.PROFILE_CONCURRENCY ?? 1));
    process.stderr.write(
      `${endpoint} (${otel}): ${result.callsPerSec} calls/s, p50 ${result.p50Ms} ms, ` +
        `${result.cpuUsPerCall} µs CPU/call\n`,
    );
    await mock.reset();
  }
} finally {
  if (otel !== 'off') await sdk.off();
  await sdk.shutdown();
  await client.close();
  await mock.stop();
}
