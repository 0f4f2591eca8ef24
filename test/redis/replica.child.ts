// One replica of a multi-process test: a Nest app with SecPaidModule (Redis on), driven over IPC.
// Run by ReplicaProcess through test/support/ts-esm.register.mjs; never by Jest itself.
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig } from 'axios';
import { Injectable, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SecPaidHealthIndicator, SecPaidHealthModule } from '../../lib/health/index.js';
import {
  SECPAID_RATE_LIMIT_WINDOW_MS,
  SECPAID_RETRY_POLICY,
  SECPAID_HTTP_SERVICE,
  SECPAID_WEBHOOK_TUNING,
} from '../../lib/secpaid.constants.js';
import { SecPaidRetryPolicy } from '../../lib/http/retry.policy.js';
import { SecPaidModule, SecPaidService, SecPaidWebhookHandler } from '../../lib/index.js';
import type { SecPaidModuleOptions, SecPaidWebhookEvent } from '../../lib/index.js';
import type { ReplicaCommand, ReplicaSettings } from './replica.process.js';

const settings = JSON.parse(process.argv[2]!) as ReplicaSettings;

if (settings.clockSkewMs !== undefined) {
  // This replica's wall clock is wrong (an NTP failure): everything it reads is shifted.
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + settings.clockSkewMs!;
}

/** Counts handler runs; fails or hangs on command. */
@Injectable()
class ReplicaHandler {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  succeeded = 0;
  failed = 0;
  started = 0;
  readonly handled: [string, number, boolean][] = [];

  @SecPaidWebhookHandler()
  async handle(event: SecPaidWebhookEvent): Promise<void> {
    this.started++;
    send({ event: 'handler-started' });
    if (this.mode === 'hang') await new Promise(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (this.mode === 'fail') {
      this.failed++;
      throw new Error('handler failed on purpose');
    }
    this.succeeded++;
    this.handled.push([event.type, event.payId, event.confirmed]);
  }
}

/** Forwards warnings to the parent (the Redis outage warning is asserted there). */
class ParentLogger implements LoggerService {
  log(message: unknown): void {
    send({ log: { level: 'log', message: String(message) } });
  }
  warn(message: unknown): void {
    send({ log: { level: 'warn', message: String(message) } });
  }
  error(message: unknown): void {
    send({ log: { level: 'error', message: String(message) } });
  }
}

function send(message: object): void {
  process.send?.(message);
}

const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => {
  unhandled.push(String((reason as Error)?.name ?? reason));
});

const { apiKeyFile } = settings;
const options: SecPaidModuleOptions = {
  // The README's secret-file provider when the test rotates the key through a file.
  ...(apiKeyFile === undefined
    ? { apiKey: settings.apiKey }
    : {
        apiKey: async () => (await readFile(apiKeyFile, 'utf8')).trim(),
        apiKeyRefreshMs: settings.apiKeyRefreshMs ?? 0,
      }),
  environment: 'development',
  baseUrl: settings.baseUrl,
  maxRetries: 0,
  // Also how long a reservation waits for a frozen Redis before the fallback.
  timeoutMs: 3_000,
  rateLimit: {
    requestsPerMinute: settings.requestsPerMinute,
    ...(settings.maxQueue === undefined ? {} : { maxQueue: settings.maxQueue }),
  },
  health: { cacheTtlMs: settings.healthTtlMs, timeoutMs: 2_000 },
  webhooks: settings.confirmPayments
    ? {
        confirmPayments: true,
        confirmCallsPerMinute: settings.confirmCallsPerMinute ?? 60,
        pendingPeriodMs: 10 * 60_000,
      }
    : settings.confirmCallsPerMinute !== undefined
      ? { confirmPayments: true, confirmCallsPerMinute: settings.confirmCallsPerMinute }
      : { confirmPayments: false },
  redis: { url: settings.redisUrl, commandTimeoutMs: settings.commandTimeoutMs ?? 300 },
};
const moduleRef = await Test.createTestingModule({
  imports: [SecPaidModule.forRoot(options), SecPaidHealthModule],
  providers: [ReplicaHandler],
})
  // From compile on: a Redis that is down at boot is reported while the module compiles.
  .setLogger(new ParentLogger())
  .overrideProvider(SECPAID_RATE_LIMIT_WINDOW_MS)
  .useValue(settings.windowMs)
  .overrideProvider(SECPAID_RETRY_POLICY)
  .useValue(new SecPaidRetryPolicy({ baseDelayMs: 2, maxDelayMs: 10 }))
  .overrideProvider(SECPAID_WEBHOOK_TUNING)
  .useValue({
    confirmRetryDelaysMs: [],
    inlineConfirmMs: 1_000,
    dedupeTtlMs: 60_000,
    claimTtlMs: settings.claimTtlMs,
    // Background re-checks every few hundred ms (pending payments, with confirmPayments).
    firstRecheckMs: 100,
    maxRecheckMs: 300,
    confirmListLimit: 200,
  })
  .compile();
const app = moduleRef.createNestApplication({ rawBody: true, logger: new ParentLogger() });
await app.listen(0, '127.0.0.1');
const origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
const service = app.get(SecPaidService);
const http = app.get<HttpService>(SECPAID_HTTP_SERVICE);
const handler = app.get(ReplicaHandler);
const health = app.get(SecPaidHealthIndicator);

/**
 * One call through the service, or a raw call through the injected HttpService (to `endpoint`,
 * default getMyUnusedLinks), in `lane` with `maxWaitMs` when given.
 */
async function call(command: Extract<ReplicaCommand, { cmd: 'calls' }>): Promise<string> {
  const budget = {
    ...(command.lane === undefined ? {} : { lane: command.lane }),
    ...(command.maxWaitMs === undefined ? {} : { maxWaitMs: command.maxWaitMs }),
  };
  try {
    if (command.raw === true) {
      const endpoint = command.endpoint ?? 'getMyUnusedLinks';
      // Typed through axios: on NestJS 11, @nestjs/axios 4 is typed with axios's CommonJS
      // typings, which do not see the `secpaid` field in an inline literal (docs/compatibility.md).
      const config: AxiosRequestConfig = { secpaid: budget };
      const answer = await http.axiosRef.post(`/api/v2/${endpoint}`, {}, config);
      return String(answer.status);
    }
    await service.getMyUnusedLinks({}, budget);
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

async function run(command: ReplicaCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'calls':
      return Promise.all(Array.from({ length: command.count }, () => call(command)));
    case 'probes':
      return Promise.all(
        Array.from({ length: command.count }, async () => {
          const result = await health.isHealthy();
          return result['secpaid']?.status;
        }),
      );
    case 'handler':
      handler.mode = command.mode;
      return handler.mode;
    case 'stats':
      return {
        started: handler.started,
        succeeded: handler.succeeded,
        failed: handler.failed,
        unhandled,
        handled: handler.handled,
      };
    case 'close':
      await app.close();
      setImmediate(() => process.exit(0));
      return 'closed';
  }
}

process.on('message', (message: ReplicaCommand & { id: number }) => {
  void run(message).then(
    (value) => send({ id: message.id, value }),
    (error: unknown) => send({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ ready: true, origin });
