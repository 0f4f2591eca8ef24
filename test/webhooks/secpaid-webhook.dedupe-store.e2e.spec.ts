import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SecPaidWebhookClaim, SecPaidWebhookDedupeStore } from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { post, startWebhookAppOn, type WebhookApp } from '../support/webhook-app.harness.js';

/** A custom store (a database, say): a plain map shared by two app instances. */
class SharedMapStore implements SecPaidWebhookDedupeStore {
  readonly entries = new Map<string, string>();

  async claim(key: string, token: string): Promise<SecPaidWebhookClaim> {
    const holder = this.entries.get(key);
    if (holder === undefined) {
      this.entries.set(key, token);
      return 'claimed';
    }
    return holder === 'done' ? 'done' : 'processing';
  }

  async complete(key: string): Promise<void> {
    this.entries.set(key, 'done');
  }

  async release(key: string, token: string): Promise<void> {
    if (this.entries.get(key) === token) this.entries.delete(key);
  }
}

describe('webhooks.dedupeStore: a store shared by several instances', () => {
  let mock: SecPaidMockServer;
  let store: SharedMapStore;
  let first: WebhookApp;
  let second: WebhookApp;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    store = new SharedMapStore();
    first = await startWebhookAppOn(mock, { dedupeStore: store });
    second = await startWebhookAppOn(mock, { dedupeStore: store });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await mock?.stop();
  });

  it('an event dispatched by one instance is not dispatched again by another', async () => {
    const link = await first.service.createLink({
      amount: 30,
      paymentEndpoint: `${first.origin}/secpaid/webhook`,
    });
    const { deliveries } = await mock.pay(link.id);
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    expect(first.handler.events).toHaveLength(1);
    expect([...store.entries.keys()]).toEqual([`payment.succeeded:${link.id}`]);

    const redelivered = await post(
      `${second.origin}/secpaid/webhook`,
      deliveries[0].body,
      deliveries[0].contentType,
    );
    expect(redelivered.status).toBe(200);
    expect(second.handler.events).toHaveLength(0);
  });
});
