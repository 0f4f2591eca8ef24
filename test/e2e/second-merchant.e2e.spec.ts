import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { unusedPort } from '../support/loopback-server.js';
import { startSampleApp, type RunningSampleApp } from '../support/sample-app.process.js';

/**
 * The sample app's second merchant (a named SecPaid instance on its own mock account), over
 * plain HTTP: its product is sold on its account, its webhook arrives on its own route and is
 * confirmed with its own key, and readiness probes both accounts.
 */
describe('sample app: a second merchant on its own SecPaid account', () => {
  let app: RunningSampleApp;

  beforeAll(async () => {
    app = await startSampleApp(await unusedPort());
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('readiness probes both accounts', async () => {
    const ready = await fetch(`${app.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: {
        secpaid: { status: 'up', environment: 'development' },
        'secpaid-merchant-b': { status: 'up', environment: 'development' },
      },
    });
  });

  it("sells the second merchant's product: paid on its account, confirmed on its route", async () => {
    const shop = await (await fetch(`${app.baseUrl}/`)).text();
    expect(shop).toContain('Framed poster');

    const checkout = await fetch(`${app.baseUrl}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'productId=poster',
      redirect: 'manual',
    });
    expect(checkout.status).toBe(303);
    const paymentPage = new URL(checkout.headers.get('location') ?? '');
    const page = await (await fetch(paymentPage)).text();
    expect(page).toContain('35.00 EUR');
    const linkId = /name="link_id" value="([^"]+)"/.exec(page)?.[1];
    expect(linkId).toBeDefined();

    // The mock pays, posts the webhook to /secpaid/merchant-b/webhook, then redirects.
    const paid = await fetch(new URL('/payment/pay', paymentPage), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `link_id=${encodeURIComponent(linkId ?? '')}`,
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    const callback = await fetch(paid.headers.get('location') ?? '');
    expect(callback.status).toBe(200);
    expect(await callback.text()).toMatch(/data-status="paid"/);

    const orders = await (await fetch(`${app.baseUrl}/orders`)).text();
    expect(orders).toMatch(/Framed poster[\s\S]*Paid/);
    expect(app.output()).not.toMatch(/Rejected a payment\.succeeded/);
  });
});
