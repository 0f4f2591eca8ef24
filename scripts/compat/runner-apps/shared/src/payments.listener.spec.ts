import { Test } from '@nestjs/testing';
import { parseSecPaidWebhook, SecPaidService } from 'nestjs-secpaid';
import { SecPaidHealthIndicator } from 'nestjs-secpaid/health';
import { buildMockWebhook } from 'nestjs-secpaid/testing';
import { PaymentsListener } from './payments.listener.js';

describe('PaymentsListener', () => {
  it('records a paid webhook, built as the mock would send it', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [PaymentsListener] }).compile();
    const listener = moduleRef.get(PaymentsListener);

    const webhook = buildMockWebhook({ payId: 42, amount: 12.5, format: 'form' });
    listener.onPaid(parseSecPaidWebhook(webhook.body, { contentType: webhook.contentType }));

    expect(listener.paid).toEqual([
      expect.objectContaining({ type: 'payment.succeeded', payId: 42, amount: 12.5 }),
    ]);
  });

  it('loads every entry of the package', () => {
    expect([typeof SecPaidService, typeof SecPaidHealthIndicator]).toEqual([
      'function',
      'function',
    ]);
  });
});
