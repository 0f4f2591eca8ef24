import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { SecPaidHealthIndicator, SecPaidHealthModule } from '../../lib/health/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import {
  ADAPTERS,
  SecPaidModule,
  get,
  post,
  startWebhookApp,
  type WebhookApp,
} from '../support/webhook-app.harness.js';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly secpaid: SecPaidHealthIndicator,
  ) {}

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.secpaid.isHealthy('secpaid')]);
  }
}

const FORGED = 100;
/** The documented default ceiling of confirmation calls per minute. */
const CONFIRMATION_BUDGET = 12;

describe.each(ADAPTERS)('%s: a flood of forged webhooks neither starves nor fools', (adapter) => {
  let mock: SecPaidMockServer;
  let web: WebhookApp;

  beforeAll(async () => {
    // SecPaid's real limits on both sides: 60 calls a minute per key.
    mock = await SecPaidMockServer.start();
    web = await startWebhookApp(
      SecPaidModule.forRoot({
        apiKey: mock.accounts[0].apiKey,
        environment: 'development',
        baseUrl: mock.baseUrl,
        // The module's defaults: limiter at 60/min, confirmations capped at 12/min.
        webhooks: {},
      }),
      {
        adapter,
        configure: (app) =>
          app.withImports(TerminusModule, SecPaidHealthModule).withControllers(HealthController),
        // A short inline window so the test need not wait 5 s per forged request.
        tuning: { confirmRetryDelaysMs: [100, 200], inlineConfirmMs: 1_000 },
      },
    );
  });

  afterAll(async () => {
    await web?.close();
    await mock?.stop();
  });

  const confirmationCalls = (): number =>
    mock.requests.filter((r) => r.path === '/api/v2/getPayInTransactions').length;

  it(`${FORGED} forged pay_ids cost at most ${CONFIRMATION_BUDGET} lookups; createLink and the probe still answer`, async () => {
    const url = `${web.origin}/secpaid/webhook`;
    const flood = Array.from({ length: FORGED }, (_, i) =>
      post(url, JSON.stringify(nestedPayload(900_000 + i, 10)), JSON_TYPE),
    );
    // While the flood waits for confirmation: a business call and a readiness probe.
    const link = web.service.createLink({ amount: 12.34, note: 'during the flood' });
    const probe = get(`${web.origin}/health/ready`).then((r) => ({
      status: r.status,
      body: r.json(),
    }));

    expect((await link).amount).toBe(12.34);
    expect(await probe).toMatchObject({ status: 200, body: { status: 'ok' } });
    const answers = await Promise.all(flood);
    expect(answers.map((a) => a.status)).toEqual(Array<number>(FORGED).fill(202));
    expect(web.handler.events).toHaveLength(0);

    const calls = confirmationCalls();
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(CONFIRMATION_BUDGET);
    // Nothing was refused by SecPaid's own limit.
    expect(web.logger.lines.filter((l) => l.message.includes('429'))).toEqual([]);
    process.stdout.write(
      `[${adapter}] ${FORGED} forged webhooks -> ${calls} getPayInTransactions calls\n`,
    );
  });

  it('a second wave of the same forged claims is answered at once, within the budget', async () => {
    const before = confirmationCalls();
    const url = `${web.origin}/secpaid/webhook`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(url, JSON.stringify(nestedPayload(900_000 + i, 10)), JSON_TYPE),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array<number>(20).fill(202));
    // They share at most one background round, and the minute's budget is spent already.
    expect(confirmationCalls()).toBeLessThanOrEqual(Math.min(before + 1, CONFIRMATION_BUDGET));
  });
});
