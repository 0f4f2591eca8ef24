/**
 * One replica of the mixed-load benchmark (bench 6): a Nest HTTP app with SecPaidModule (Redis,
 * webhooks with confirmation, readiness). argv: JSON `{ apiKey, baseUrl, redisUrl, export,
 * durationMs, interactiveEveryMs }`. On `go` it runs for `durationMs`: an interactive createLink
 * every `interactiveEveryMs` (raw call, default lane), a readiness probe every 5 s, and, on the
 * export replica, one background export reading page after page. Reports waits and counts.
 */
import { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig } from 'axios';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SecPaidHealthIndicator, SecPaidHealthModule } from '../lib/health/index.js';
import { SecPaidModule } from '../lib/index.js';
import { SECPAID_HTTP_SERVICE } from '../lib/secpaid.constants.js';
import { sleep } from './stats.js';

interface ChildArgs {
  apiKey: string;
  baseUrl: string;
  redisUrl: string;
  export: boolean;
  durationMs: number;
  interactiveEveryMs: number;
}

const args = JSON.parse(process.argv[2]!) as ChildArgs;

@Module({
  imports: [
    SecPaidModule.forRoot({
      apiKey: args.apiKey,
      environment: 'development',
      baseUrl: args.baseUrl,
      maxRetries: 0,
      webhooks: { confirmCallsPerMinute: 12 },
      redis: { url: args.redisUrl },
    }),
    SecPaidHealthModule,
  ],
})
class ReplicaModule {}

/** Counts the Redis outage warnings (each one is a switch to the fallback). */
let redisOutages = 0;
const app = await NestFactory.create(ReplicaModule, {
  logger: {
    log: () => undefined,
    error: () => undefined,
    warn: (message: unknown) => {
      if (String(message).includes('Redis unavailable')) redisOutages++;
    },
  },
});
await app.listen(0, '127.0.0.1');
const origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
const http = app.get<HttpService>(SECPAID_HTTP_SERVICE);
const health = app.get(SecPaidHealthIndicator);
process.send!({ ready: true, origin });

process.once('message', async () => {
  const until = Date.now() + args.durationMs;
  const goAt = Date.now();
  const interactiveWaits: number[] = [];
  /** When each interactive call started (ms after `go`) and how long it took, to see when the slow ones happen. */
  const interactiveCalls: { atMs: number; waitMs: number }[] = [];
  let interactiveFailed = 0;
  let exportPages = 0;
  let probes = 0;
  const running: Promise<unknown>[] = [];
  // Interactive: a checkout every interactiveEveryMs (jittered start), never waiting for the last.
  running.push(
    (async () => {
      await sleep(Math.random() * args.interactiveEveryMs);
      while (Date.now() < until) {
        const started = performance.now();
        running.push(
          http.axiosRef.post('/api/v2/createLink', { amount: 1 }).then(
            () => {
              const waitMs = performance.now() - started;
              interactiveWaits.push(waitMs);
              interactiveCalls.push({ atMs: Date.now() - goAt - waitMs, waitMs });
            },
            () => interactiveFailed++,
          ),
        );
        await sleep(args.interactiveEveryMs);
      }
    })(),
  );
  // Readiness probe every 5 s.
  running.push(
    (async () => {
      while (Date.now() < until) {
        await health.isHealthy();
        probes++;
        await sleep(5_000);
      }
    })(),
  );
  // The export: page after page in the background lane, as long as the run lasts.
  if (args.export) {
    // Typed through axios, so NestJS 11's CommonJS axios typings accept it (docs/compatibility.md).
    const background: AxiosRequestConfig = { secpaid: { lane: 'background' } };
    running.push(
      (async () => {
        while (Date.now() < until) {
          await http.axiosRef
            .post(
              '/api/v2/getPayOutTransactions',
              { page: exportPages + 1, limit: 1000 },
              background,
            )
            .then(() => exportPages++)
            .catch(() => sleep(100));
        }
      })(),
    );
  }
  await sleep(args.durationMs);
  await Promise.race([Promise.allSettled(running), sleep(70_000)]);
  process.send!({
    interactiveWaits,
    interactiveCalls,
    interactiveFailed,
    exportPages,
    probes,
    redisOutages,
  });
  await app.close();
  process.disconnect();
});
