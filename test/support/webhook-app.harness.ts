import 'reflect-metadata';
import { request } from 'node:http';
import { Injectable, type INestApplication, type DynamicModule } from '@nestjs/common';
import { SecPaidModule } from '../../lib/secpaid.module.js';
import type { SecPaidMockServer } from '../../lib/testing/index.js';
import type { SecPaidModuleOptions } from '../../lib/options/secpaid-options.js';
import { SecPaidService } from '../../lib/service/secpaid.service.js';
import { SecPaidWebhookHandler } from '../../lib/webhooks/delivery/secpaid-webhook-handler.decorator.js';
import type { SecPaidWebhookEvent } from '../../lib/models/secpaid-webhook-event.model.js';
import { SECPAID_WEBHOOK_TUNING, type SecPaidWebhookTuning } from '../../lib/secpaid.constants.js';
import { CapturingLogger } from './capturing.logger.js';
import { bootstrapTestApp, type TestAppAdapter, type TestAppBuilder } from './test-app.builder.js';

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
  // Generous: the inline window must not end before the re-checks under CPU load.
  inlineConfirmMs: 30_000,
  dedupeTtlMs: 60_000,
  // No background re-check during an ordinary test; pending specs shorten these.
  firstRecheckMs: 60_000,
  maxRecheckMs: 60_000,
  confirmListLimit: 200,
};

/** The HTTP platforms every webhook behaviour is proven on. */
export const ADAPTERS = ['express', 'fastify'] as const satisfies readonly TestAppAdapter[];

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
 * {@link RecordingHandler} on 127.0.0.1:0, on Express or Fastify; `configure` adds to the app
 * (a global prefix, controllers, ...). No `rawBody: true` by default: the receiver needs none.
 */
export async function startWebhookApp(
  module: DynamicModule,
  {
    rawBody = false,
    tuning = {},
    adapter = 'express',
    configure = (builder) => builder,
  }: {
    rawBody?: boolean;
    /** Replaces some of {@link FAST_TUNING}. */
    tuning?: Partial<SecPaidWebhookTuning>;
    adapter?: TestAppAdapter;
    configure?: (builder: TestAppBuilder) => TestAppBuilder;
  } = {},
): Promise<WebhookApp> {
  const logger = new CapturingLogger();
  const { app, origin } = await configure(
    bootstrapTestApp(module)
      .withProviders(RecordingHandler)
      .override(SECPAID_WEBHOOK_TUNING, { ...FAST_TUNING, ...tuning })
      .withRawBody(rawBody)
      .withAdapter(adapter)
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
    // The whole minute for confirmations: specs make more lookups than a real minute would.
    ...(webhooks === undefined ? {} : { webhooks: { confirmCallsPerMinute: 60, ...webhooks } }),
  };
}

export { SecPaidModule };

/** A POST answer. */
export interface PostResult {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/** GETs with node:http and no keep-alive (nothing outlives the call). */
export function get(url: string): Promise<PostResult> {
  return send(url, 'GET', {});
}

/** POSTs a body with node:http and no keep-alive (nothing outlives the call). */
export function post(
  url: string,
  body: string | Buffer,
  contentType?: string,
  extraHeaders: Record<string, string> = {},
): Promise<PostResult> {
  const headers: Record<string, string | number> = {
    ...extraHeaders,
    'content-length': Buffer.byteLength(body),
  };
  if (contentType !== undefined) headers['content-type'] = contentType;
  return send(url, 'POST', headers, body);
}

function send(
  url: string,
  method: string,
  headers: Record<string, string | number>,
  body?: string | Buffer,
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers }, (res) => {
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
