/**
 * Profiling helper (not part of `npm run bench`): `node --cpu-prof bench/dist/bench/profile.js
 * [createLink|getMyUnusedLinks] [calls]` drives SecPaidService against a mock child so the
 * .cpuprofile shows only the client's side.
 */
import { SecPaidServiceClient } from './clients/secpaid-service.client.js';
import { runLoad } from './load.js';
import { MockProcess } from './mock-process.js';

const endpoint = process.argv[2] ?? 'createLink';
const calls = Number(process.argv[3] ?? 20_000);
const mock = await MockProcess.start(false);
const client = await SecPaidServiceClient.create(mock.baseUrl, mock.apiKey);
try {
  const call =
    endpoint === 'createLink'
      ? (i: number) => client.createLink(`Order ${i}`)
      : () => client.getMyUnusedLinks();
  for (let done = 0; done < calls; done += 5000) {
    for (let i = 0; i < 10; i++) await client.createLink(`Seed ${i}`);
    const result = await runLoad(call, 5000, 1);
    process.stderr.write(`${endpoint}: ${result.callsPerSec} calls/s, p50 ${result.p50Ms} ms\n`);
    await mock.reset();
  }
} finally {
  await client.close();
  await mock.stop();
}
