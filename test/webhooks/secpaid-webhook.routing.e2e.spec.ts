import { describe, expect, it } from '@jest/globals';
import { CapturingLogger } from '../support/capturing.logger.js';
import { bootstrapTestApp } from '../support/test-app.builder.js';
import { SecPaidConfigurationError } from '../../lib/core/secpaid.errors.js';
import type { SecPaidModuleOptions } from '../../lib/options/secpaid-options.js';
import { SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE } from '../../lib/webhooks/intake/webhook-request.body.js';
import { SecPaidWebhookReceiver } from '../../lib/webhooks/secpaid-webhook.receiver.js';
import { SecPaidWebhookDispatcher } from '../../lib/webhooks/delivery/secpaid-webhook.dispatcher.js';
import {
  SECPAID_CONFIRMATION_LANE,
  SECPAID_CREATED_LINKS,
  SECPAID_WEBHOOK_PENDING_STORE,
} from '../../lib/secpaid.constants.js';
import { FORM_TYPE, JSON_TYPE, formBody, nestedPayload } from '../support/webhook.fixtures.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  ADAPTERS,
  RecordingHandler,
  SecPaidModule,
  post,
  startWebhookApp,
  type WebhookApp,
} from '../support/webhook-app.harness.js';

// No SecPaid call is made in these tests (cancellations and unconfirmed mode need none).
const base: SecPaidModuleOptions = {
  apiKey: 'sk_test_routing_key',
  environment: 'development',
  baseUrl: 'http://127.0.0.1:9',
  rateLimit: false,
};
const cancelBody = formBody(77, 10, 'cancel', 'Status');

async function withApp(
  start: Promise<WebhookApp>,
  run: (web: WebhookApp) => Promise<void>,
): Promise<void> {
  const web = await start;
  try {
    await run(web);
  } finally {
    await web.close();
  }
}

describe('webhook route registration', () => {
  it.each([
    ['forRoot', () => SecPaidModule.forRoot(base)],
    ['forRootAsync', () => SecPaidModule.forRootAsync({ useFactory: async () => base })],
  ])(
    '%s without webhooks mounts no route (404, no handler), and logs none',
    async (_name, module) => {
      await withApp(startWebhookApp(module()), async (web) => {
        const answer = await post(`${web.origin}/secpaid/webhook`, cancelBody, FORM_TYPE);
        expect(answer.status).toBe(404);
        expect(web.handler.events).toHaveLength(0);
        // No empty `SecPaidWebhookController {/}:` line among the route mappings (issue 27).
        expect(
          web.logger.lines.filter((l) => l.message.includes('SecPaidWebhookController')),
        ).toEqual([]);
      });
    },
  );

  it('forRoot without webhooks builds no receiving side; an async registration, whose options are not known yet, does', async () => {
    const receivingSide = [
      SecPaidWebhookReceiver,
      SecPaidWebhookDispatcher,
      SECPAID_WEBHOOK_PENDING_STORE,
    ];
    await withApp(startWebhookApp(SecPaidModule.forRoot(base)), async (web) => {
      for (const token of receivingSide) {
        expect(() => web.app.get(token, { strict: false })).toThrow();
      }
      // What every registration keeps: the confirmation lane (verifyCallback) and the links
      // createLink records (a replica that only creates links shares them with the others).
      for (const token of [SECPAID_CONFIRMATION_LANE, SECPAID_CREATED_LINKS]) {
        expect(web.app.get(token, { strict: false })).toBeDefined();
      }
    });
    await withApp(
      startWebhookApp(SecPaidModule.forRootAsync({ useFactory: async () => base })),
      async (web) => {
        for (const token of receivingSide)
          expect(web.app.get(token, { strict: false })).toBeDefined();
      },
    );
  });

  it.each([
    ['forRoot', (path: string) => SecPaidModule.forRoot({ ...base, webhooks: { path } })],
    [
      'forRootAsync',
      (path: string) =>
        SecPaidModule.forRootAsync({
          useFactory: async () => ({ ...base, webhooks: { path } }),
        }),
    ],
  ])('%s mounts POST /<path> from the resolved options', async (_name, module) => {
    await withApp(startWebhookApp(module('hooks/secpaid-7f3a')), async (web) => {
      expect((await post(`${web.origin}/secpaid/webhook`, cancelBody, FORM_TYPE)).status).toBe(404);
      const answer = await post(`${web.origin}/hooks/secpaid-7f3a`, cancelBody, FORM_TYPE);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ received: true });
      expect(web.handler.events).toMatchObject([{ type: 'payment.cancelled', payId: 77 }]);
      // Its mapping is logged as Nest logs any route.
      expect(
        web.logger.lines.filter((l) => l.message.includes('SecPaidWebhookController')),
      ).toHaveLength(1);
      expect(web.logger.lines).toContainEqual(
        expect.objectContaining({ message: 'Mapped {/hooks/secpaid-7f3a, POST} route' }),
      );
    });
  });

  it('the default path is secpaid/webhook', async () => {
    await withApp(
      startWebhookApp(SecPaidModule.forRoot({ ...base, webhooks: {} })),
      async (web) => {
        expect((await post(`${web.origin}/secpaid/webhook`, cancelBody, FORM_TYPE)).status).toBe(
          200,
        );
      },
    );
  });

  it('two apps in one process keep their own paths, even when both are created first', async () => {
    const builders = ['first/hook', 'second/hook'].map((path) =>
      bootstrapTestApp(SecPaidModule.forRoot({ ...base, webhooks: { path } }))
        .withProviders(RecordingHandler)
        .withRawBody(),
    );
    const apps = await Promise.all(builders.map((builder) => builder.create()));
    try {
      for (const app of apps) await app.listen(0, '127.0.0.1');
      const [first, second] = await Promise.all(apps.map((a) => a.getUrl()));
      expect((await post(`${first}/first/hook`, cancelBody, FORM_TYPE)).status).toBe(200);
      expect((await post(`${first}/second/hook`, cancelBody, FORM_TYPE)).status).toBe(404);
      expect((await post(`${second}/second/hook`, cancelBody, FORM_TYPE)).status).toBe(200);
      expect((await post(`${second}/first/hook`, cancelBody, FORM_TYPE)).status).toBe(404);
    } finally {
      for (const app of apps) await app.close();
    }
  });

  it('warns at start-up when webhooks are on but no handler exists', async () => {
    const logger = new CapturingLogger();
    const app = await bootstrapTestApp(SecPaidModule.forRoot({ ...base, webhooks: {} }))
      .withRawBody()
      .withLogger(logger)
      .create();
    try {
      await app.init();
      expect(logger.lines).toContainEqual({
        level: 'warn',
        message: expect.stringContaining('no provider method is decorated'),
      });
    } finally {
      await app.close();
    }
  });

  it.each(
    ADAPTERS.flatMap((adapter) => [true, false].map((rawBody) => [adapter, rawBody] as const)),
  )(
    '%s with rawBody: %s: the receiver reads its own body (no rawBody requirement)',
    async (adapter, rawBody) => {
      await withApp(
        startWebhookApp(SecPaidModule.forRoot({ ...base, webhooks: {} }), { adapter, rawBody }),
        async (web) => {
          for (const [body, type] of [
            [cancelBody, FORM_TYPE],
            [JSON.stringify(nestedPayload(78, 10, 'cancel')), JSON_TYPE],
          ] as const) {
            expect((await post(`${web.origin}/secpaid/webhook`, body, type)).status).toBe(200);
          }
          expect(web.handler.events.map((e) => e.payId)).toEqual([77, 78]);
        },
      );
    },
  );

  it.each(ADAPTERS)(
    '%s: a global prefix and a differently spelled path still reach the receiver',
    async (adapter) => {
      const web = await startWebhookApp(SecPaidModule.forRoot({ ...base, webhooks: {} }), {
        adapter,
        configure: (builder) => builder.configure((app) => app.setGlobalPrefix('api')),
      });
      try {
        const malformed = await post(`${web.origin}/api/secpaid/webhook`, '{"data":', JSON_TYPE);
        expect(malformed.status).toBe(400);
        expect(malformed.json().message).toBe('Invalid SecPaid webhook');
        // Express also routes a trailing slash (non-strict routing); Fastify does not by default.
        const spelling = adapter === 'express' ? '/api/secpaid/webhook/' : '/api/secpaid/webhook';
        const answer = await post(`${web.origin}${spelling}`, cancelBody, FORM_TYPE);
        expect(answer.status).toBe(200);
        expect(web.handler.events).toMatchObject([{ type: 'payment.cancelled', payId: 77 }]);
      } finally {
        await web.close();
      }
    },
  );

  it('a catch-all body parser of the app that consumes the route body: 500 saying so, logged', async () => {
    await withApp(
      startWebhookApp(SecPaidModule.forRoot({ ...base, webhooks: {} }), {
        configure: (builder) =>
          builder.configure((app) =>
            (app as NestExpressApplication).useBodyParser('raw', { type: () => true }),
          ),
      }),
      async (web) => {
        const answer = await post(`${web.origin}/secpaid/webhook`, cancelBody, FORM_TYPE);
        expect(answer.status).toBe(500);
        expect(answer.json().message).toBe(SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE);
        expect(web.logger.lines).toContainEqual({
          level: 'error',
          message: SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE,
        });
        expect(web.handler.events).toHaveLength(0);
      },
    );
  });

  it('an encryption key of 32 characters but not 32 bytes fails start-up', async () => {
    const key = `${'k'.repeat(31)}é`;
    expect(key).toHaveLength(32);
    const failure = await startWebhookApp(
      SecPaidModule.forRoot({ ...base, webhooks: { encryptionKey: key } }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SecPaidConfigurationError);
    expect(String((failure as Error).message)).not.toContain(key);
  });

  it('confirmPayments: false dispatches a success unconfirmed (confirmed: false), without any API call', async () => {
    await withApp(
      startWebhookApp(SecPaidModule.forRoot({ ...base, webhooks: { confirmPayments: false } })),
      async (web) => {
        const answer = await post(
          `${web.origin}/secpaid/webhook`,
          JSON.stringify(nestedPayload(31337, 5)),
          JSON_TYPE,
        );
        expect(answer.status).toBe(200);
        expect(web.handler.events).toMatchObject([
          { type: 'payment.succeeded', payId: 31337, amount: 5, confirmed: false },
        ]);
      },
    );
  });
});
