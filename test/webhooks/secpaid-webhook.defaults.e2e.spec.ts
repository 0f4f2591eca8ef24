import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SecPaidWebhookDedupeStore } from '../../lib/index.js';
import { SecPaidModule } from '../../lib/secpaid.module.js';
import { SecPaidService } from '../../lib/service/secpaid.service.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import type { SecPaidWebhookOptions } from '../../lib/options/secpaid-options.js';
import { bootstrapTestApp, type TestApp } from '../support/test-app.builder.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import { RecordingHandler, mockOptions, post } from '../support/webhook-app.harness.js';

/** Records how long the receiver asks its store to keep a completed event; claims always win. */
class RecordingStore implements SecPaidWebhookDedupeStore {
  readonly remembered: { key: string; ttlMs: number }[] = [];
  async claim(): Promise<'claimed'> {
    return 'claimed';
  }
  async complete(key: string, _token: string, ttlMs: number): Promise<void> {
    this.remembered.push({ key, ttlMs });
  }
  async release(): Promise<void> {}
}

/**
 * The webhook defaults as shipped: every other webhook spec shortens them (FAST_TUNING), so this
 * one boots the module with nothing replaced. README: duplicates are remembered "24 hours"; a
 * payment the API does not show yet is "looked up again a few times over about five seconds".
 */
describe('webhook receiver defaults (nothing overridden)', () => {
  let mock: SecPaidMockServer;
  let web: TestApp;
  const store = new RecordingStore();
  const start = (webhooks: SecPaidWebhookOptions) =>
    bootstrapTestApp(
      SecPaidModule.forRoot(mockOptions(mock.baseUrl, mock.accounts[0]!.apiKey, webhooks)),
    )
      .withProviders(RecordingHandler)
      .withRawBody()
      .listen();

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    web = await start({ dedupeStore: store });
  });
  afterAll(async () => {
    await web?.close();
    await mock?.stop();
  });

  it('remembers a dispatched event for 24 hours', async () => {
    const link = await web.get(SecPaidService).createLink({ amount: 12 });
    const { deliveries } = await mock.pay(link.id, { sendWebhooks: false });
    expect(deliveries).toEqual([]);
    const body = JSON.stringify(nestedPayload(link.id, 12));
    const answer = await post(`${web.origin}/secpaid/webhook`, body, JSON_TYPE);
    expect(answer.status).toBe(200);
    expect(web.get(RecordingHandler).events).toHaveLength(1);
    expect(store.remembered).toEqual([
      { key: `payment.succeeded:${link.id}`, ttlMs: 24 * 60 * 60 * 1000 },
    ]);
  });

  it('re-checks a payment the API does not show over about five seconds, then keeps it pending (202)', async () => {
    const lookups = () =>
      mock.requests.filter((r) => r.path === '/api/v2/getPayInTransactions').length;
    const before = lookups();
    const started = performance.now();
    const answer = await post(
      `${web.origin}/secpaid/webhook`,
      JSON.stringify(nestedPayload(987_654, 10)),
      JSON_TYPE,
    );
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(202);
    expect(answer.json()).toEqual({ received: true, pending: true });
    expect(lookups() - before).toBeGreaterThanOrEqual(2); // the first look-up and re-checks
    // A lower bound only (a busy machine makes it longer, never shorter): the defaults wait
    // 0.5 + 1.5 + 3 s between the look-ups, so the forged success was held about five seconds.
    expect(elapsed).toBeGreaterThanOrEqual(4_900);
    expect(web.get(RecordingHandler).events).toHaveLength(1); // only the first test's
  });
});
