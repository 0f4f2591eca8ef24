import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { ReplicaProcess } from '../redis/replica.process.js';
import { dumpRedis, RedisServerProcess } from '../support/redis-server.process.js';
import {
  startRotatingKeyGateway,
  type RotatingKeyGateway,
} from '../support/rotating-key.gateway.js';

const KEY_A = 'replicaRotationKeyA000000000001';
const KEY_B = 'replicaRotationKeyB000000000002';
/** The Redis namespace of a key: `{<first 128 bits of its SHA-256>}` (lib/redis/redis-keyspace.ts). */
const namespaceOf = (key: string): string =>
  `{${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}}`;
const CALLERS = ['r1', 'r2', 'r3'] as const;

describe('three replicas with Redis, their key in a mounted secret file, rotated from A to B', () => {
  let redis: RedisServerProcess;
  let mock: SecPaidMockServer;
  let gateway: RotatingKeyGateway;
  let directory: string;
  let keyFile: string;
  let replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    mock = await SecPaidMockServer.start({ rateLimit: false });
    gateway = await startRotatingKeyGateway({
      acceptedKey: KEY_A,
      upstream: mock.baseUrl,
      upstreamKey: mock.accounts[0].apiKey,
    });
    directory = await mkdtemp(join(tmpdir(), 'secpaid-rotation-'));
    keyFile = join(directory, 'secpaid-api-key');
    await writeFile(keyFile, `${KEY_A}\n`);
    replicas = await Promise.all(
      CALLERS.map((caller) =>
        ReplicaProcess.start({
          apiKey: 'unused-the-file-wins',
          apiKeyFile: keyFile,
          apiKeyRefreshMs: 0,
          baseUrl: gateway.baseUrlFor(caller),
          redisUrl: redis.url,
          requestsPerMinute: 600,
          windowMs: 61_000,
          healthTtlMs: 1_000,
          claimTtlMs: 3_000,
        }),
      ),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await gateway?.close();
    await mock?.stop();
    await redis?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  }, 30_000);

  it('every replica moves to B on its first refusal: at most one refused request each, then bursts pass', async () => {
    for (const replica of replicas) expect(await replica.calls(2)).toEqual(['ok', 'ok']);
    expect(gateway.seen.every((seen) => seen.key === KEY_A && !seen.refused)).toBe(true);

    // Support issues B: SecPaid accepts only B from now on, and the secret file is updated.
    gateway.accept(KEY_B);
    await writeFile(keyFile, `${KEY_B}\n`);
    const switchedAt = gateway.seen.length;

    // One call each: refused with A, sent again with B.
    expect(await Promise.all(replicas.map((replica) => replica.calls(1)))).toEqual([
      ['ok'],
      ['ok'],
      ['ok'],
    ]);
    // Then bursts, raw HttpService calls included: all with B.
    const bursts = await Promise.all([
      replicas[0]!.calls(10),
      replicas[1]!.calls(10, true),
      replicas[2]!.calls(10),
    ]);
    expect(bursts).toEqual([Array(10).fill('ok'), Array(10).fill('200'), Array(10).fill('ok')]);
    expect(await Promise.all(replicas.map((replica) => replica.probes(1)))).toEqual([
      ['up'],
      ['up'],
      ['up'],
    ]);

    const afterSwitch = gateway.seen.slice(switchedAt);
    for (const caller of CALLERS) {
      const own = afterSwitch.filter((seen) => seen.caller === caller);
      // Arrival order per replica: the one refused request with A, then B only.
      expect(own.filter((seen) => seen.refused)).toHaveLength(1);
      expect(own[0]).toMatchObject({ key: KEY_A, refused: true });
      expect(own.slice(1).every((seen) => seen.key === KEY_B && !seen.refused)).toBe(true);
    }

    // The shared budget and readiness cache moved to B's namespace; no key reached Redis.
    const client = await redis.client();
    try {
      const dump = await dumpRedis(client);
      const keys = await client.keys('*');
      expect(
        keys.some(
          (key) =>
            key.includes(namespaceOf(KEY_B)) &&
            key.startsWith('secpaid:budget:') &&
            key.endsWith(':starts'),
        ),
      ).toBe(true);
      expect(keys.some((key) => key.includes(namespaceOf(KEY_B)) && key.endsWith(':health'))).toBe(
        true,
      );
      expect(dump).not.toContain(KEY_A);
      expect(dump).not.toContain(KEY_B);
    } finally {
      await client.quit();
    }

    // Each replica logged the change once, with hash prefixes only.
    for (const replica of replicas) {
      const changed = replica.logs.filter((line) => line.message.includes('API key changed'));
      expect(changed).toHaveLength(1);
      expect(JSON.stringify(replica.logs)).not.toContain(KEY_A);
      expect(JSON.stringify(replica.logs)).not.toContain(KEY_B);
    }
    const refused = afterSwitch.filter((seen) => seen.refused).length;
    process.stdout.write(
      `key rotation across 3 replicas: ${refused} refused of ${afterSwitch.length} requests\n`,
    );
  }, 60_000);

  it('a burst in flight when SecPaid switches: each refused call is sent once more with the new key', async () => {
    // Refusal reads are at most one per 5 s per replica: let the first rotation's read age.
    await new Promise((resolve) => setTimeout(resolve, 5_200));
    const KEY_C = 'replicaRotationKeyC000000000003';
    gateway.accept(KEY_C);
    await writeFile(keyFile, `${KEY_C}\n`);
    const switchedAt = gateway.seen.length;
    expect(await replicas[0]!.calls(10)).toEqual(Array(10).fill('ok'));
    const afterSwitch = gateway.seen.slice(switchedAt);
    const refused = afterSwitch.filter((seen) => seen.refused);
    expect(refused.every((seen) => seen.key === KEY_B)).toBe(true);
    expect(afterSwitch.filter((seen) => seen.key === KEY_C && !seen.refused)).toHaveLength(10);
    expect(afterSwitch.length).toBe(10 + refused.length);
    process.stdout.write(
      `key rotation under a burst of 10 concurrent calls: ${refused.length} refused, 10 of 10 succeeded\n`,
    );
  }, 60_000);
});
