import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  SECPAID_RATE_LIMIT_WINDOW_MS,
  SECPAID_WEBHOOK_PENDING_STORE,
} from '../../lib/secpaid.constants.js';
import type { SecPaidPendingPaymentStore } from '../../lib/options/webhook-store.contracts.js';
import { callApi, dataOf } from '../support/mock-api.client.js';
import { RedisServerProcess } from '../support/redis-server.process.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import {
  ADAPTERS,
  mockOptions,
  post,
  SecPaidModule,
  startWebhookApp,
  type WebhookApp,
} from '../support/webhook-app.harness.js';

/** Waits until `done()` holds; the Jest timeout bounds it (no timing assertion). */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 20));
}

const MAX_PENDING = 20;
const FORGED = 300;
const LAG_MS = 10 * 60_000;
/**
 * The confirmation budget's minute shrunk to 2 s (60 calls per window, as the harness sets
 * `confirmCallsPerMinute`): the flood spends it, as a real one would, without the test waiting
 * a real minute for the next round.
 */
const BUDGET_WINDOW_MS = 2_000;
// One inline look-up per webhook within 1 s, then pending (202); background rounds every few
// hundred ms, one shared call each.
const TUNING = {
  confirmRetryDelaysMs: [],
  inlineConfirmMs: 1_000,
  firstRecheckMs: 300,
  maxRecheckMs: 1_000,
  claimTtlMs: 5_000,
};

interface FloodFigures {
  sent: number;
  seconds: number;
  statuses: Record<number, number>;
}

/** Posts `count` forged claims (random pay ids) at once, spread over `targets`. */
async function flood(targets: string[], count: number, firstPayId: number): Promise<FloodFigures> {
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      post(
        targets[i % targets.length]!,
        JSON.stringify(nestedPayload(firstPayId + i, 10)),
        JSON_TYPE,
      ),
    ),
  );
  const statuses: Record<number, number> = {};
  for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  return { sent: count, seconds: (performance.now() - started) / 1000, statuses };
}

function report(label: string, figures: FloodFigures, held: number, genuine: string): void {
  process.stdout.write(
    `[flood ${label}] ${figures.sent} forged in ${figures.seconds.toFixed(2)} s ` +
      `(${Math.round(figures.sent / figures.seconds)}/s); answers ${JSON.stringify(figures.statuses)}; ` +
      `pending held ${held} (maxPending ${MAX_PENDING} per rank); genuine: ${genuine}\n`,
  );
}

describe.each(ADAPTERS)('%s: a forged flood cannot flush a genuine payment', (adapter) => {
  let mock: SecPaidMockServer;
  let redis: RedisServerProcess;
  const apps: WebhookApp[] = [];

  beforeAll(async () => {
    // The genuine webhook waits its turn behind hundreds of forged ones on a loaded machine:
    // the mock waits for its answer as long as a patient sender would.
    mock = await SecPaidMockServer.start({ rateLimit: false, webhookTimeoutMs: 60_000 });
    redis = await RedisServerProcess.start();
  }, 30_000);
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await mock?.stop();
    await redis?.stop();
  }, 30_000);

  async function replica(withRedis: boolean): Promise<WebhookApp> {
    const options = mockOptions(mock.baseUrl, mock.accounts[0].apiKey, {
      pendingPeriodMs: LAG_MS,
      maxPending: MAX_PENDING,
    });
    const app = await startWebhookApp(
      SecPaidModule.forRoot(withRedis ? { ...options, redis: { url: redis.url } } : options),
      {
        adapter,
        tuning: TUNING,
        configure: (builder) => builder.override(SECPAID_RATE_LIMIT_WINDOW_MS, BUDGET_WINDOW_MS),
      },
    );
    apps.push(app);
    return app;
  }

  /**
   * A link created by `creator` (an app, or the merchant's dashboard: not through the module,
   * so its id ranks as unknown), paid now, shown by the API only after `LAG_MS`.
   */
  async function genuinePayment(
    creator: WebhookApp | 'dashboard',
    receiver: WebhookApp,
    amount: number,
  ) {
    const input = { amount, note: `genuine ${amount}` };
    const paymentEndpoint = `${receiver.origin}/secpaid/webhook`;
    const id =
      creator === 'dashboard'
        ? Number(
            dataOf(
              await callApi(
                mock.baseUrl,
                'createLink',
                { ...input, payment_endpoint: paymentEndpoint },
                mock.accounts[0].apiKey,
              ),
            )['id'],
          )
        : (await creator.service.createLink({ ...input, paymentEndpoint })).id;
    const { deliveries } = await mock.pay(id, { visibleAfterMs: LAG_MS });
    return { id, statuses: deliveries.map((d) => d.status) };
  }
  const held = (app: WebhookApp): Promise<number> =>
    app.app.get<SecPaidPendingPaymentStore>(SECPAID_WEBHOOK_PENDING_STORE).size();
  const show = (payId: number): void => {
    mock.payIns.find((p) => p.payId === payId)!.visibleAt = new Date();
  };

  it('one replica: before and during the flood, both genuine payments end dispatched, confirmed', async () => {
    const app = await replica(false);
    const url = `${app.origin}/secpaid/webhook`;
    // Before the flood: a link the app did not create (it holds one of the unknown ids' room).
    const before = await genuinePayment('dashboard', app, 31.5);
    expect(before.statuses).toEqual([202]);

    const forged = flood([url], FORGED, 7_000_000);
    // A payment of a link this app created arrives while the flood is under way.
    const during = await genuinePayment(app, app, 42);
    const figures = await forged;
    expect(during.statuses).toEqual([202]);
    // The forged claims filled their rank and were refused beyond it; nothing was dropped.
    expect(figures.statuses).toEqual({ 202: MAX_PENDING - 1, 503: FORGED - MAX_PENDING + 1 });
    const heldAfterFlood = await held(app);
    expect(heldAfterFlood).toBe(MAX_PENDING + 1); // the unknown ids' room, and the own link

    show(before.id);
    show(during.id);
    await until(() => app.handler.events.length >= 2);
    expect(app.handler.events.map((e) => [e.payId, e.confirmed]).sort()).toEqual(
      [
        [before.id, true],
        [during.id, true],
      ].sort(),
    );
    expect(app.handler.events.every((e) => e.type === 'payment.succeeded')).toBe(true);
    report(`${adapter}, one replica`, figures, heldAfterFlood, 'both dispatched confirmed');
  }, 120_000);

  it('two replicas with Redis: created on one, delivered to the other, dispatched once', async () => {
    const [a, b] = [await replica(true), await replica(true)];
    const targets = [a, b].map((app) => `${app.origin}/secpaid/webhook`);
    const before = await genuinePayment('dashboard', b, 12.25);
    expect(before.statuses).toEqual([202]);

    const forged = flood(targets, FORGED, 8_000_000);
    // Created on b, delivered to a: a knows it is this app's link through Redis.
    const during = await genuinePayment(b, a, 13.75);
    const figures = await forged;
    expect(during.statuses).toEqual([202]);
    expect(figures.statuses).toEqual({ 202: MAX_PENDING - 1, 503: FORGED - MAX_PENDING + 1 });
    const heldAfterFlood = await held(a);
    expect(heldAfterFlood).toBe(MAX_PENDING + 1); // one shared set

    show(before.id);
    show(during.id);
    const handled = () => [...a.handler.events, ...b.handler.events];
    await until(() => handled().length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a few more rounds on both
    expect(
      handled()
        .map((e) => [e.payId, e.confirmed])
        .sort(),
    ).toEqual(
      [
        [before.id, true],
        [during.id, true],
      ].sort(),
    );
    report(
      `${adapter}, two replicas + Redis`,
      figures,
      heldAfterFlood,
      'both dispatched once, confirmed',
    );
  }, 120_000);
});
