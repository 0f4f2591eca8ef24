// A Nest app with SecPaidModule (Redis, webhooks with confirmation, limiter) that is closed on
// command and must then exit on its own: run by app-close.e2e.spec.ts through
// test/support/ts-esm.register.mjs, never by Jest itself.
import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { SecPaidModule, SecPaidService, SecPaidWebhookHandler } from '../../lib/index.js';
import type { SecPaidModuleOptions } from '../../lib/index.js';
import { SECPAID_WEBHOOK_TUNING } from '../../lib/secpaid.constants.js';
import { CapturingLogger } from '../support/capturing.logger.js';
import { bootstrapTestApp } from '../support/test-app.builder.js';
import { nestedPayload, JSON_TYPE } from '../support/webhook.fixtures.js';
import { post } from '../support/webhook-app.harness.js';

/** What the parent passes as argv[2]. */
export interface CloseChildSettings {
  apiKey: string;
  baseUrl: string;
  redisUrl: string;
}

/**
 * Where each timer still armed was created: when the process does not exit, the parent's
 * failure names the code that left a timer behind (a stack trace, not a guess).
 */
const armedTimers = new Map<NodeJS.Timeout, string>();
const { setTimeout: originalSetTimeout, clearTimeout: originalClearTimeout } = globalThis;
globalThis.setTimeout = ((
  callback: (...args: unknown[]) => void,
  ms?: number,
  ...args: unknown[]
) => {
  const timer = originalSetTimeout(
    (...callArgs: unknown[]) => {
      armedTimers.delete(timer);
      callback(...callArgs);
    },
    ms,
    ...args,
  );
  armedTimers.set(timer, new Error().stack!.split('\n').slice(2, 8).join('\n'));
  return timer;
}) as typeof setTimeout;
globalThis.clearTimeout = ((timer?: NodeJS.Timeout) => {
  if (timer !== undefined) armedTimers.delete(timer);
  originalClearTimeout(timer);
}) as typeof clearTimeout;

const settings = JSON.parse(process.argv[2]!) as CloseChildSettings;

@Injectable()
class Handler {
  @SecPaidWebhookHandler()
  handle(): void {}
}

const options: SecPaidModuleOptions = {
  apiKey: settings.apiKey,
  environment: 'development',
  baseUrl: settings.baseUrl,
  maxRetries: 0,
  // Longer than the test: only the close can end a call SecPaid never answers.
  timeoutMs: 60_000,
  rateLimit: { requestsPerMinute: 6 },
  webhooks: { confirmPayments: true, confirmCallsPerMinute: 6 },
  redis: { url: settings.redisUrl, commandTimeoutMs: 300 },
};
const logger = new CapturingLogger();
const { app, origin } = await bootstrapTestApp(SecPaidModule.forRoot(options))
  .withProviders(Handler)
  .override(SECPAID_WEBHOOK_TUNING, {
    confirmRetryDelaysMs: [],
    inlineConfirmMs: 300,
    dedupeTtlMs: 60_000,
    firstRecheckMs: 60_000,
    maxRecheckMs: 60_000,
    confirmListLimit: 200,
  })
  .withLogger(logger)
  .listen();
const service = app.get(SecPaidService);
/** Outcomes of the work started by `busy`, filled in as it settles. */
const outcomes: string[] = [];

function track(name: string, work: Promise<unknown>): void {
  work.then(
    (value) => outcomes.push(`${name}: ${typeof value === 'object' ? 'ok' : String(value)}`),
    (error: unknown) => outcomes.push(`${name}: ${(error as Error).name}`),
  );
}

async function run(command: string): Promise<unknown> {
  switch (command) {
    case 'warm':
      // A call through the shared (Redis) budget: the connection is up and used.
      await service.getTaxInvoiceList();
      return 'warm';
    case 'busy': {
      // pay_id 1: the API does not show it -> kept pending, re-checked in the background.
      const pending = await post(
        `${origin}/secpaid/webhook`,
        JSON.stringify(nestedPayload(1, 10)),
        JSON_TYPE,
      );
      // pay_id 2: its lookup never gets an answer -> a webhook in flight at close.
      track(
        'webhook',
        post(`${origin}/secpaid/webhook`, JSON.stringify(nestedPayload(2, 10)), JSON_TYPE).then(
          (answer) => answer.status,
        ),
      );
      // Never answered (in flight), then beyond the budget (queued).
      for (let i = 0; i < 8; i++) track(`call${i}`, service.getMyUnusedLinks());
      return pending.status;
    }
    case 'close': {
      const started = performance.now();
      await app.close();
      const closeMs = Math.round(performance.now() - started);
      // Settled work reports in the next turns.
      await new Promise((resolve) => setImmediate(resolve));
      const refTimers = [...armedTimers].filter(([timer]) => timer.hasRef());
      return {
        closeMs,
        outcomes,
        resources: process.getActiveResourcesInfo(),
        timers: refTimers.map(([timer, stack]) => `${timer[Symbol.toPrimitive]()}: ${stack}`),
      };
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

process.on('message', (message: { id: number; cmd: string }) => {
  void run(message.cmd).then(
    (value) => process.send?.({ id: message.id, value }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.send?.({ ready: true });
