import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { RedisServerProcess, type TestRedisClient } from '../support/redis-server.process.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import {
  mockOptions,
  post,
  SecPaidModule,
  startWebhookApp,
  type WebhookApp,
} from '../support/webhook-app.harness.js';
import { ReplicaProcess } from './replica.process.js';

/** Waits until `done()` holds; the Jest timeout bounds it (no timing assertion). */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 50));
}

const HOUR = 60 * 60_000;

describe('a replica whose clock is an hour ahead shares pending payments through Redis', () => {
  let redis: RedisServerProcess;
  let inspect: TestRedisClient;
  let mock: SecPaidMockServer;
  let honest: WebhookApp;
  let skewed: ReplicaProcess;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    inspect = await redis.client();
    mock = await SecPaidMockServer.start({ rateLimit: false, webhookTimeoutMs: 60_000 });
    const options = mockOptions(mock.baseUrl, mock.accounts[0].apiKey, {
      pendingPeriodMs: 10 * 60_000,
    });
    honest = await startWebhookApp(
      SecPaidModule.forRoot({ ...options, redis: { url: redis.url } }),
      { tuning: { confirmRetryDelaysMs: [], firstRecheckMs: 100, maxRecheckMs: 300 } },
    );
    skewed = await ReplicaProcess.start({
      apiKey: mock.accounts[0].apiKey,
      baseUrl: mock.baseUrl,
      redisUrl: redis.url,
      requestsPerMinute: 600,
      windowMs: 60_000,
      healthTtlMs: 5_000,
      claimTtlMs: 3_000,
      clockSkewMs: HOUR,
      confirmPayments: true,
    });
  }, 180_000);

  afterAll(async () => {
    await skewed?.close();
    await honest?.close();
    await inspect?.quit();
    await mock?.stop();
    await redis?.stop();
  }, 30_000);

  const pendingKeys = async (): Promise<string[]> => {
    const [key] = await inspect.keys('*pending:entries');
    return key === undefined ? [] : inspect.hKeys(key);
  };
  const lookups = (): number =>
    mock.requests.filter((r) => r.path === '/api/v2/getPayInTransactions').length;

  it("neither its webhooks nor its re-check rounds drop another replica's genuine entry", async () => {
    const { id } = await honest.service.createLink({
      amount: 24.5,
      note: 'skew',
      paymentEndpoint: `${honest.origin}/secpaid/webhook`,
    });
    const { deliveries } = await mock.pay(id, { visibleAfterMs: 10 * 60_000 });
    expect(deliveries.map((d) => d.status)).toEqual([202]);
    expect(await pendingKeys()).toEqual([`${id}:2450`]);

    // The skewed replica receives a forged webhook (its add runs the store's clean-up) ...
    const forged = await post(
      `${skewed.origin}/secpaid/webhook`,
      JSON.stringify(nestedPayload(9_100_001, 3)),
      JSON_TYPE,
    );
    expect(forged.status).toBe(202);
    // ... and takes part in a good number of re-check rounds (each one API call).
    const before = lookups();
    await until(() => lookups() >= before + 6);
    expect((await pendingKeys()).sort()).toEqual([`${id}:2450`, '9100001:300'].sort());
    expect(skewed.logs.filter((l) => l.message.includes('payment.unconfirmed'))).toEqual([]);

    // The API shows the payment: dispatched once, confirmed, by whichever replica re-checks it.
    mock.payIns.find((p) => p.payId === id)!.visibleAt = new Date();
    const handled = async () => [
      ...honest.handler.events.map((e): [string, number, boolean] => [
        e.type,
        e.payId,
        e.confirmed,
      ]),
      ...(await skewed.stats()).handled,
    ];
    await until(async () => (await handled()).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a few more rounds on both
    expect(await handled()).toEqual([['payment.succeeded', id, true]]);
    expect(await pendingKeys()).toEqual(['9100001:300']);
  }, 120_000);
});
