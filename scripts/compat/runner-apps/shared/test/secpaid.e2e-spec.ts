import { Test } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import { SecPaidService } from 'nestjs-secpaid';
import { SecPaidMockServer } from 'nestjs-secpaid/testing';
import { AppModule } from './../src/app.module.js';
import { PaymentsListener } from './../src/payments.listener.js';

describe('SecPaid (e2e)', () => {
  let mock: SecPaidMockServer;
  let app: INestApplication;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start();
    // secpaidConfig reads SECPAID_* when the module compiles: point them at the mock first.
    Object.assign(process.env, mock.env());
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleFixture.createNestApplication();
    await app.listen(0, '127.0.0.1'); // the mock POSTs webhooks to this port
  });

  afterAll(async () => {
    // When beforeAll failed, `app` (or `mock`) is undefined: `?.` keeps close() from throwing,
    // and `finally` stops the mock whatever happened, or its open port keeps Jest running.
    try {
      await app?.close();
    } finally {
      await mock?.stop();
    }
  });

  it('creates a link, is ready, and receives the confirmed payment', async () => {
    const link = await app.get(SecPaidService).createLink({
      amount: 12.5,
      note: 'Order 1',
      paymentEndpoint: `${await app.getUrl()}/secpaid/webhook`,
    });

    const ready = await fetch(`${await app.getUrl()}/health/ready`);
    const health = (await ready.json()) as HealthCheckResult;
    expect(health.info?.secpaid?.status).toBe('up');

    await mock.pay(link.id); // POSTs the webhook and waits for the app's answer
    expect(mock.webhookDeliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(app.get(PaymentsListener).paid).toEqual([
      expect.objectContaining({ type: 'payment.succeeded', payId: link.id, confirmed: true }),
    ]);
  });
});
