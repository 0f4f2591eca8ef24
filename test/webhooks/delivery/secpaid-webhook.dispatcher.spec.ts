import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Injectable, Module, Scope } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SecPaidWebhookHandler } from '../../../lib/webhooks/delivery/secpaid-webhook-handler.decorator.js';
import {
  SecPaidWebhookDispatcher,
  SecPaidWebhookHandlerFailure,
} from '../../../lib/webhooks/delivery/secpaid-webhook.dispatcher.js';
import type { SecPaidWebhookEvent } from '../../../lib/models/secpaid-webhook-event.model.js';

const calls: string[] = [];

@Injectable()
class PaymentsListener {
  @SecPaidWebhookHandler('payment.succeeded')
  async onPaid(event: SecPaidWebhookEvent): Promise<void> {
    await Promise.resolve();
    calls.push(`paid:${event.payId}`);
  }

  @SecPaidWebhookHandler('payment.cancelled')
  onCancelled(event: SecPaidWebhookEvent): void {
    calls.push(`cancelled:${event.payId}`);
  }

  @SecPaidWebhookHandler()
  onAny(event: SecPaidWebhookEvent): void {
    calls.push(`any:${event.type}`);
  }

  notAHandler(): void {
    calls.push('never');
  }
}

@Injectable()
class StackedListener {
  @SecPaidWebhookHandler('payment.succeeded')
  @SecPaidWebhookHandler('payment.cancelled')
  both(event: SecPaidWebhookEvent): void {
    calls.push(`both:${event.type}`);
  }
}

@Injectable()
class FailingListener {
  @SecPaidWebhookHandler('payment.succeeded')
  fail(event: SecPaidWebhookEvent): void {
    if (event.payId === 666) throw new Error('handler broke');
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedListener {
  @SecPaidWebhookHandler()
  never(): void {
    calls.push('request-scoped');
  }
}

@Module({
  providers: [
    PaymentsListener,
    StackedListener,
    FailingListener,
    RequestScopedListener,
    { provide: 'ALIAS', useExisting: PaymentsListener },
  ],
})
class FeatureModule {}

const event = (type: SecPaidWebhookEvent['type'], payId = 1): SecPaidWebhookEvent => ({
  type,
  payId,
  encrypted: false,
  confirmed: true,
  raw: {},
});

async function dispatcher(): Promise<{
  dispatcher: SecPaidWebhookDispatcher;
  close: () => Promise<void>;
}> {
  const moduleRef = await Test.createTestingModule({
    imports: [FeatureModule],
    providers: [SecPaidWebhookDispatcher],
  }).compile();
  return { dispatcher: moduleRef.get(SecPaidWebhookDispatcher), close: () => moduleRef.close() };
}

describe('SecPaidWebhookDispatcher', () => {
  it('runs each matching handler once (aliases and request-scoped providers excluded)', async () => {
    const { dispatcher: d, close } = await dispatcher();
    try {
      calls.length = 0;
      await d.dispatch(event('payment.succeeded', 5));
      expect(calls.sort()).toEqual(['any:payment.succeeded', 'both:payment.succeeded', 'paid:5']);
      calls.length = 0;
      await d.dispatch(event('payment.cancelled', 6));
      expect(calls.sort()).toEqual([
        'any:payment.cancelled',
        'both:payment.cancelled',
        'cancelled:6',
      ]);
    } finally {
      await close();
    }
  });

  it('runs the other handlers when one throws, then reports the failure', async () => {
    const { dispatcher: d, close } = await dispatcher();
    try {
      calls.length = 0;
      const failure = await d.dispatch(event('payment.succeeded', 666)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SecPaidWebhookHandlerFailure);
      expect((failure as SecPaidWebhookHandlerFailure).failures.map((f) => f.handler)).toEqual([
        'FailingListener.fail',
      ]);
      expect(calls.sort()).toEqual(['any:payment.succeeded', 'both:payment.succeeded', 'paid:666']);
    } finally {
      await close();
    }
  });

  it('lists the discovered handlers once, by Class.method', async () => {
    const { dispatcher: d, close } = await dispatcher();
    try {
      expect(
        d
          .discover()
          .map((h) => h.name)
          .sort(),
      ).toEqual([
        'FailingListener.fail',
        'PaymentsListener.onAny',
        'PaymentsListener.onCancelled',
        'PaymentsListener.onPaid',
        'StackedListener.both',
      ]);
    } finally {
      await close();
    }
  });
});
