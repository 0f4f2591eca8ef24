'use strict';
/* global module */
/**
 * The consumer flow shared by the ESM and CommonJS apps. It loads nothing itself: each entry file
 * loads Nest and nestjs-secpaid its own way (import or require) and passes the modules in, so the
 * loading path under test is the entry's. Every step prints one `COMPAT {json}` line; an export
 * the flow needs that the package does not have fails the `load` step, and nothing else runs.
 */

/** TypeScript's `__decorate`, so plain JavaScript can apply Nest's decorators. */
function decorate(decorators, target, key, descriptor) {
  let result = descriptor;
  for (let i = decorators.length - 1; i >= 0; i--) {
    result =
      (key === undefined ? decorators[i](target) : decorators[i](target, key, result)) || result;
  }
  if (key !== undefined && result) Object.defineProperty(target, key, result);
  return result;
}

/** Applies method decorators the way `@Decorator()` above a method does. */
function decorateMethod(cls, name, decorators) {
  decorate(decorators, cls.prototype, name, Object.getOwnPropertyDescriptor(cls.prototype, name));
}

/** What `emitDecoratorMetadata` writes for a constructor: the injected classes, in order. */
function paramTypes(cls, types) {
  Reflect.defineMetadata('design:paramtypes', types, cls);
}

function report(step, status, detail) {
  console.log(`COMPAT ${JSON.stringify({ step, status, detail })}`);
}

function describeError(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Resolves when `predicate()` is truthy, rejects after `timeoutMs`. */
async function waitFor(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Boots a Nest app on nestjs-secpaid against SecPaidMockServer, creates a link, probes readiness
 * over HTTP, pays the link and waits for the webhook handler, then closes everything.
 * @returns the exit code (0 when every step passed)
 */
async function runFlow(mods, label) {
  const { common, core, config, terminus, main, health, testing } = mods;
  const absent = missingExports({
    'nestjs-secpaid': [
      main,
      ['SecPaidModule', 'SecPaidService', 'SecPaidWebhookHandler', 'secpaidConfig'],
    ],
    'nestjs-secpaid/health': [health, ['SecPaidHealthModule', 'SecPaidHealthIndicator']],
    'nestjs-secpaid/testing': [testing, ['SecPaidMockServer']],
  });
  if (absent.length > 0) {
    report('load', 'fail', `${label}: no export ${absent.join(', ')}`);
    return 1;
  }
  report('load', 'pass', `${label}: nestjs-secpaid, /health, /testing loaded`);

  let failed = false;
  const step = async (name, fn) => {
    try {
      const detail = await fn();
      report(name, 'pass', detail);
      return true;
    } catch (error) {
      failed = true;
      report(name, 'fail', describeError(error));
      return false;
    }
  };

  let mock;
  let app;
  try {
    mock = await testing.SecPaidMockServer.start({ rateLimit: false });
    // secpaidConfig reads these; the README recipe `forRootAsync(secpaidConfig.asProvider())` is used.
    Object.assign(process.env, mock.env());

    const events = [];
    class PaymentEvents {
      onPayment(event) {
        events.push(event);
      }
    }
    decorate([common.Injectable()], PaymentEvents);
    decorateMethod(PaymentEvents, 'onPayment', [main.SecPaidWebhookHandler()]);

    class HealthController {
      constructor(healthCheck, indicator) {
        this.healthCheck = healthCheck;
        this.indicator = indicator;
      }
      ready() {
        return this.healthCheck.check([() => this.indicator.isHealthy('secpaid')]);
      }
    }
    paramTypes(HealthController, [terminus.HealthCheckService, health.SecPaidHealthIndicator]);
    decorateMethod(HealthController, 'ready', [common.Get('ready')]);
    decorate([common.Controller('health')], HealthController);

    const provider = main.secpaidConfig.asProvider();
    const secpaid = main.SecPaidModule.forRootAsync({
      ...provider,
      useFactory: (options) => ({
        ...provider.useFactory(options),
        rateLimit: false,
        webhooks: { path: 'secpaid/webhook', confirmPayments: true },
      }),
    });
    class AppModule {}
    decorate(
      [
        common.Module({
          imports: [
            config.ConfigModule.forRoot({ ignoreEnvFile: true }),
            secpaid,
            terminus.TerminusModule,
            health.SecPaidHealthModule,
          ],
          controllers: [HealthController],
          providers: [PaymentEvents],
        }),
      ],
      AppModule,
    );

    let baseUrl;
    const booted = await step('boot', async () => {
      app = await core.NestFactory.create(AppModule, { rawBody: true, logger: ['error'] });
      await app.listen(0, '127.0.0.1');
      baseUrl = `http://127.0.0.1:${app.getHttpServer().address().port}`;
      return `listening on ${baseUrl}`;
    });
    if (!booted) return 1;

    let link;
    await step('createLink', async () => {
      const service = app.get(main.SecPaidService);
      link = await service.createLink({
        amount: 12.5,
        note: `compat ${label}`,
        paymentEndpoint: `${baseUrl}/secpaid/webhook`,
      });
      if (typeof link.id !== 'number' || typeof link.url !== 'string') {
        throw new Error(`unexpected link ${JSON.stringify({ id: link.id, url: link.url })}`);
      }
      if (link.amount !== 12.5) throw new Error(`amount ${link.amount}, expected 12.5`);
      return `link ${link.id} ${link.url}`;
    });

    await step('readiness', async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      const body = await response.json();
      const secpaidStatus = body && body.info && body.info.secpaid && body.info.secpaid.status;
      if (response.status !== 200 || secpaidStatus !== 'up') {
        throw new Error(`GET /health/ready -> ${response.status} ${JSON.stringify(body)}`);
      }
      return `GET /health/ready -> 200, secpaid up`;
    });

    await step('webhook', async () => {
      if (!link) throw new Error('no payment link (createLink failed)');
      await mock.pay(link.id);
      await waitFor(() => events.length > 0, 10_000, 'the @SecPaidWebhookHandler() method');
      const event = events[0];
      // confirmPayments is on: the handler may only see the event once the API showed the payment.
      if (
        event.type !== 'payment.succeeded' ||
        typeof event.payId !== 'number' ||
        event.confirmed !== true
      ) {
        throw new Error(
          `unexpected event ${JSON.stringify({ type: event.type, payId: event.payId, confirmed: event.confirmed })}`,
        );
      }
      return `handler ran: ${event.type} payId ${event.payId} confirmed=${event.confirmed}`;
    });
  } catch (error) {
    failed = true;
    report('setup', 'fail', describeError(error));
  } finally {
    try {
      if (app) await app.close();
      if (mock) await mock.stop();
      report('shutdown', 'pass', 'app closed, mock stopped');
    } catch (error) {
      failed = true;
      report('shutdown', 'fail', describeError(error));
    }
  }
  return failed ? 1 : 0;
}

/** `package: name` for every named export that is not there. */
function missingExports(expected) {
  return Object.entries(expected).flatMap(([entry, [mod, names]]) =>
    names.filter((name) => mod[name] === undefined).map((name) => `${entry}: ${name}`),
  );
}

module.exports = { runFlow };
