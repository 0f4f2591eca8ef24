import 'reflect-metadata';
import { request } from 'node:http';
import { Injectable, type INestApplication, type DynamicModule } from '@nestjs/common';
import { SecPaidModule } from '../../lib/secpaid.module.js';
import type { SecPaidMockServer } from '../../lib/testing/index.js';
import type { SecPaidModuleOptions } from '../../lib/options/secpaid-options.js';
import { SecPaidService } from '../../lib/service/secpaid.service.js';
import { SecPaidWebhookHandler } from '../../lib/webhooks/secpaid-webhook-handler.decorator.js';
import type { SecPaidWebhookEvent } from '../../lib/webhooks/secpaid-webhook.event.js';
import {
  SECPAID_WEBHOOK_TUNING,
  type SecPaidWebhookTuning,
} from '../../lib/webhooks/secpaid-webhook.constants.js';
import { CapturingLogger } from './capturing.logger.js';
import { bootstrapTestApp, type TestAppBuilder } from './test-app.builder.js';

export { CapturingLogger };

/** Records every event; throws while `failing` is set. */
@Injectable()
export class RecordingHandler {
  readonly events: SecPaidWebhookEvent[] = [];
  failing = false;

  @SecPaidWebhookHandler()
  async record(event: SecPaidWebhookEvent): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failing) throw new Error('handler failed on purpose');
    this.events.push(event);
  }
}

/** Fast confirmation re-checks so tests do not wait seconds. */
export const FAST_TUNING: SecPaidWebhookTuning = {
  confirmRetryDelaysMs: [20, 20],
  dedupeTtlMs: 60_000,
};

export interface WebhookApp {
  app: INestApplication;
  /** Origin of the listening app, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  handler: RecordingHandler;
  service: SecPaidService;
  logger: CapturingLogger;
  close(): Promise<void>;
}

/**
 * Starts a Nest app importing `module` (a SecPaidModule registration) and a
 * {@link RecordingHandler} on 127.0.0.1:0; `configure` adds to the app (a global prefix, ...).
 */
export async function startWebhookApp(
  module: DynamicModule,
  {
    rawBody = true,
    tuning = FAST_TUNING,
    configure = (builder) => builder,
  }: {
    rawBody?: boolean;
    tuning?: SecPaidWebhookTuning;
    configure?: (builder: TestAppBuilder) => TestAppBuilder;
  } = {},
): Promise<WebhookApp> {
  const logger = new CapturingLogger();
  const { app, origin } = await configure(
    bootstrapTestApp(module)
      .withProviders(RecordingHandler)
      .override(SECPAID_WEBHOOK_TUNING, tuning)
      .withRawBody(rawBody)
      .withLogger(logger),
  ).listen();
  return {
    app,
    origin,
    handler: app.get(RecordingHandler),
    service: app.get(SecPaidService),
    logger,
    close: () => app.close(),
  };
}

/** A webhook app whose SecPaidModule talks to `mock` with its first account's key. */
export function startWebhookAppOn(
  mock: SecPaidMockServer,
  webhooks: SecPaidModuleOptions['webhooks'] = {},
  settings?: Parameters<typeof startWebhookApp>[1],
): Promise<WebhookApp> {
  return startWebhookApp(
    SecPaidModule.forRoot(mockOptions(mock.baseUrl, mock.accounts[0].apiKey, webhooks)),
    settings,
  );
}

/** Module options pointing at a mock server. */
export function mockOptions(
  baseUrl: string,
  apiKey: string,
  webhooks?: SecPaidModuleOptions['webhooks'],
): SecPaidModuleOptions {
  return {
    apiKey,
    environment: 'development',
    baseUrl,
    rateLimit: false,
    maxRetries: 0,
    ...(webhooks === undefined ? {} : { webhooks }),
  };
}

export { SecPaidModule };

/** A POST answer. */
export interface PostResult {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/** POSTs a body with node:http and no keep-alive (nothing outlives the call). */
export function post(
  url: string,
  body: string | Buffer,
  contentType?: string,
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(body) };
    if (contentType !== undefined) headers['content-type'] = contentType;
    const req = request(url, { method: 'POST', agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          body: text,
          json: () => JSON.parse(text) as Record<string, unknown>,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
