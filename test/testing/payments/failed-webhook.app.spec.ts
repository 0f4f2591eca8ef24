import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import { startWebhookAppOn, type WebhookApp } from '../../support/webhook-app.harness.js';

/**
 * The mock's `Failed` webhook (hosted page Fail button, dashboard Fail, `mock.fail()`) against a
 * real app. The mock side is proven in resend-and-fail.spec.ts and the browser test; here the
 * receiver answers it as a `payment.failed` event: acknowledged 2xx, never dispatched as paid.
 */
describe('a real app receives the mock Failed webhook', () => {
  let mock: SecPaidMockServer;
  let shop: WebhookApp;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    shop = await startWebhookAppOn(mock);
    mock.accounts[0].paymentEndpoints.push(`${shop.origin}/secpaid/webhook`);
  });
  afterAll(async () => {
    await shop?.close();
    await mock?.stop();
  });

  it.each(['form', 'json'] as const)(
    'answers the %s Failed webhook 2xx and never dispatches it as paid',
    async (webhookFormat) => {
      const link = await shop.service.createLink({ amount: 15, note: 'declined' });
      const { deliveries } = await mock.fail(link.id, { webhookFormat });
      expect(deliveries).toHaveLength(1);
      // Acknowledged as final: 200, not the 202 of a payment kept pending until the API shows it
      // (what a `Success` for an unpaid link gets).
      expect(deliveries[0].status).toBe(200);
      expect(deliveries[0].responseBody).not.toContain('pending');
      // payment.failed reaches only handlers that name it; the default handler sees nothing.
      expect(shop.handler.events.filter((event) => event.payId === link.id)).toEqual([]);
    },
  );
});
