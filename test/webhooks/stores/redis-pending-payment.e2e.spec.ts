import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import {
  dumpRedis,
  RedisServerProcess,
  type TestRedisClient,
} from '../../support/redis-server.process.js';
import {
  mockOptions,
  post,
  SecPaidModule,
  startWebhookApp,
  type WebhookApp,
} from '../../support/webhook-app.harness.js';

/** Waits until `done()` holds; the Jest timeout bounds it (no timing assertion). */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 20));
}

// Background re-checks every few ms; a round holds what it took for 2 s (the claim TTL).
const TUNING = {
  confirmRetryDelaysMs: [],
  firstRecheckMs: 20,
  maxRecheckMs: 80,
  claimTtlMs: 2_000,
};

describe('pending payments shared through Redis', () => {
  let redis: RedisServerProcess;
  let inspect: TestRedisClient;
  let mock: SecPaidMockServer;
  const apps: WebhookApp[] = [];

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    inspect = await redis.client();
    mock = await SecPaidMockServer.start({ rateLimit: false });
  }, 30_000);
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await inspect?.quit();
    await mock?.stop();
    await redis?.stop();
  }, 30_000);

  async function replica(): Promise<WebhookApp> {
    const options = mockOptions(mock.baseUrl, mock.accounts[0].apiKey, {
      pendingPeriodMs: 10 * 60_000,
    });
    const app = await startWebhookApp(
      SecPaidModule.forRoot({ ...options, redis: { url: redis.url } }),
      { tuning: TUNING },
    );
    apps.push(app);
    return app;
  }

  const pendingCount = async (): Promise<number> => {
    const [key] = await inspect.keys('*pending:entries');
    return key === undefined ? 0 : inspect.hLen(key);
  };
  const showPayment = (payId: number): void => {
    mock.payIns.find((p) => p.payId === payId)!.visibleAt = new Date();
  };

  it('survives a restart: app B re-checks what app A kept and dispatches it, confirmed', async () => {
    const a = await replica();
    const { id } = await a.service.createLink({
      amount: 12.5,
      note: 'Restart',
      paymentEndpoint: `${a.origin}/secpaid/webhook`,
    });
    const { deliveries } = await mock.pay(id, { visibleAfterMs: 10 * 60_000 });
    expect(deliveries.map((d) => d.status)).toEqual([202]);
    expect(await pendingCount()).toBe(1);
    await a.close();
    apps.splice(apps.indexOf(a), 1);

    const b = await replica();
    showPayment(id);
    await until(() => b.handler.events.length > 0);
    expect(b.handler.events).toMatchObject([
      { type: 'payment.succeeded', payId: id, amount: 12.5, note: 'Restart', confirmed: true },
    ]);
    expect(a.handler.events).toHaveLength(0);
    await until(async () => (await pendingCount()) === 0);
    const dump = await dumpRedis(inspect);
    expect(dump).not.toContain(mock.accounts[0].apiKey);
  }, 60_000);

  it('two replicas never dispatch the same pending payment twice', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { id } = await a.service.createLink({
        amount: 3 + i,
        paymentEndpoint: `${a.origin}/secpaid/webhook`,
      });
      const { deliveries } = await mock.pay(id, { visibleAfterMs: 10 * 60_000 });
      expect(deliveries.map((d) => d.status)).toEqual([202]);
      // The same webhook reaching replica b is already pending there too (one shared set).
      const again = await post(
        `${b.origin}/secpaid/webhook`,
        deliveries[0]!.body,
        deliveries[0]!.contentType,
      );
      expect([again.status, again.json()]).toEqual([202, { received: true, pending: true }]);
      ids.push(id);
    }
    expect(await pendingCount()).toBe(6);
    ids.forEach(showPayment);
    const handled = () => [...a.handler.events, ...b.handler.events];
    await until(() => handled().length >= ids.length);
    await until(async () => (await pendingCount()) === 0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few more rounds on both
    expect(
      handled()
        .map((e) => e.payId)
        .sort(),
    ).toEqual([...ids].sort());
    // Each entry was taken by one round only: one "dispatched" line per payment, and no
    // round met another one's claim (which a double hand-out would cause).
    const lines = [...new Set([a.logger, b.logger])].flatMap((logger) => logger.lines);
    expect(lines.filter((l) => l.message.includes('confirmed and dispatched'))).toHaveLength(6);
    expect(lines.filter((l) => l.message.includes('processed elsewhere'))).toEqual([]);
    expect(lines.filter((l) => l.message.includes('Duplicate'))).toEqual([]);
  }, 60_000);

  it('keeps a compact entry for a bulky forged body: 60 KB posted, about 2 KB held', async () => {
    const a = await replica();
    const body = JSON.stringify({
      ResponseCode: 1,
      data: { pay_id: 9_200_001, amount: 5, status: 'Success', note: 'x'.repeat(60_000) },
    });
    expect((await post(`${a.origin}/secpaid/webhook`, body, 'application/json')).status).toBe(202);
    const [key] = await inspect.keys('*pending:entries');
    const held = await inspect.hGet(key!, '9200001:500');
    expect(held!.length).toBeLessThan(2_500);
    expect(JSON.parse(held!)).toMatchObject({
      own: false,
      event: { type: 'payment.succeeded', payId: 9_200_001, amount: 5, raw: {} },
    });
  }, 60_000);
});
