/**
 * One replica of the replicas benchmark: a Nest application context with SecPaidModule (Redis
 * on), default limiter (60/min, 61 s window) and retries. argv: JSON `{ apiKey, baseUrl,
 * redisUrl, calls }`. Waits for `go` over IPC, fires its calls at once, reports the outcomes.
 */
import { SecPaidService } from '../lib/index.js';
import type { SecPaidRedisCoordinator } from '../lib/redis/secpaid-redis.coordinator.js';
import { SECPAID_REDIS } from '../lib/secpaid.constants.js';
import { createBenchApp } from './bench-app.js';
import { sleep } from './stats.js';

interface ReplicaArgs {
  apiKey: string;
  baseUrl: string;
  redisUrl: string;
  calls: number;
}

const args = JSON.parse(process.argv[2]!) as ReplicaArgs;
const app = await createBenchApp({
  apiKey: args.apiKey,
  environment: 'development',
  baseUrl: args.baseUrl,
  redis: { url: args.redisUrl },
});
const service = app.get(SecPaidService);
// The connection is opened in the background: wait for it (a loaded machine can take seconds),
// so that the burst measures sharing, not the outage fallback; then one call through Redis.
const redis = app.get<SecPaidRedisCoordinator>(SECPAID_REDIS);
for (let i = 0; i < 200 && !redis.available; i++) {
  await redis.command(['PING']).catch(() => undefined);
  await sleep(50);
}
await service.getMyUnusedLinks();
process.send!({ ready: true });
process.once('message', async () => {
  const outcomes = await Promise.all(
    Array.from({ length: args.calls }, () =>
      service.getMyUnusedLinks().then(
        () => 'ok',
        (error: Error) => error.name,
      ),
    ),
  );
  process.send!({ outcomes });
  await app.close();
  process.disconnect();
});
