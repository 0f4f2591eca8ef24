/**
 * `node bench/dist/bench/call-cpu.js [calls] [profile-dir]`: client CPU per call of bare axios
 * and of SecPaidService, sequential `createLink` and `getMyUnusedLinks` against the mock (in its
 * own process), measured with `process.cpuUsage` (less sensitive to a loaded machine than
 * throughput), after a warm-up. With a profile directory, writes one CPU profile per client and
 * endpoint, for finding where the module's time per call goes.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { BareAxiosClient } from './clients/bare-axios.client.js';
import type { BenchClient } from './clients/bench-client.js';
import { SecPaidServiceClient } from './clients/secpaid-service.client.js';
import { MockProcess } from './mock-process.js';

const calls = Number(process.argv[2] ?? 2000);
const profileDir = process.argv[3];
const mock = await MockProcess.start(false);
const axios = new BareAxiosClient(mock.baseUrl, mock.apiKey);
const service = await SecPaidServiceClient.create(mock.baseUrl, mock.apiKey);
const session = profileDir === undefined ? undefined : new Session();
session?.connect();
await session?.post('Profiler.enable');
await session?.post('Profiler.setSamplingInterval', { interval: 100 });

async function cpuPerCall(client: BenchClient, endpoint: 'createLink' | 'getMyUnusedLinks') {
  const call = (i: number) =>
    endpoint === 'createLink' ? client.createLink(`Order ${i}`) : client.getMyUnusedLinks();
  for (let i = 0; i < 300; i++) await call(i);
  await session?.post('Profiler.start');
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call(i);
  const used = process.cpuUsage(before);
  if (session !== undefined && profileDir !== undefined) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(
      join(profileDir, `${client.name}-${endpoint}.cpuprofile`),
      JSON.stringify(profile),
    );
  }
  return Math.round((used.user + used.system) / calls);
}

const result: Record<string, Record<string, number>> = {};
for (const endpoint of ['getMyUnusedLinks', 'createLink'] as const) {
  await mock.reset();
  for (let i = 0; i < 10; i++) await axios.createLink(`Seed ${i}`); // a list of 10, as bench 1
  result[endpoint] = {
    axiosCpuUs: await cpuPerCall(axios, endpoint),
    serviceCpuUs: await cpuPerCall(service, endpoint),
  };
}
await service.close();
await axios.close();
await mock.stop();
session?.disconnect();
process.stdout.write(`${JSON.stringify(result)}\n`);
