import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import {
  SecPaidWebhookHandler,
  getSecPaidWebhookHandlerFilters,
  matchesSecPaidWebhookHandler,
} from '../../../lib/webhooks/delivery/secpaid-webhook-handler.decorator.js';
import type { SecPaidWebhookDispatchType } from '../../../lib/models/secpaid-webhook-event.model.js';

class Handlers {
  @SecPaidWebhookHandler()
  any(): void {}

  @SecPaidWebhookHandler('payment.cancelled')
  cancelled(): void {}

  @SecPaidWebhookHandler({ instance: 'merchant-a' })
  @SecPaidWebhookHandler({ instance: 'merchant-b', type: 'payment.succeeded' })
  stacked(): void {}

  @SecPaidWebhookHandler({ instance: '*' })
  everywhere(): void {}

  @SecPaidWebhookHandler({ instance: '*', type: 'payment.failed' })
  failedEverywhere(): void {}
}

const matches = (method: keyof Handlers, type: SecPaidWebhookDispatchType, instance: string) =>
  matchesSecPaidWebhookHandler(
    getSecPaidWebhookHandlerFilters(Handlers.prototype[method])!,
    type,
    instance,
  );

describe('@SecPaidWebhookHandler filters', () => {
  it('without an argument: succeeded and cancelled of the default instance, nothing else', () => {
    expect(matches('any', 'payment.succeeded', 'default')).toBe(true);
    expect(matches('any', 'payment.cancelled', 'default')).toBe(true);
    expect(matches('any', 'payment.cancelled', 'merchant-a')).toBe(false);
    for (const type of ['payment.failed', 'payment.unknown', 'payment.unconfirmed'] as const) {
      expect(matches('any', type, 'default')).toBe(false);
    }
  });

  it('a type alone matches that type from the default instance only', () => {
    expect(matches('cancelled', 'payment.cancelled', 'default')).toBe(true);
    expect(matches('cancelled', 'payment.cancelled', 'merchant-b')).toBe(false);
    expect(matches('cancelled', 'payment.succeeded', 'default')).toBe(false);
  });

  it("instance '*' matches every instance; failed and unknown only when named", () => {
    expect(matches('everywhere', 'payment.succeeded', 'merchant-b')).toBe(true);
    expect(matches('everywhere', 'payment.cancelled', 'default')).toBe(true);
    expect(matches('everywhere', 'payment.failed', 'merchant-b')).toBe(false);
    expect(matches('failedEverywhere', 'payment.failed', 'merchant-b')).toBe(true);
    expect(matches('failedEverywhere', 'payment.failed', 'default')).toBe(true);
    expect(matches('failedEverywhere', 'payment.unknown', 'default')).toBe(false);
  });

  it('stacked { instance, type } filters: any one of them matching is enough', () => {
    expect(matches('stacked', 'payment.cancelled', 'merchant-a')).toBe(true);
    expect(matches('stacked', 'payment.succeeded', 'merchant-b')).toBe(true);
    expect(matches('stacked', 'payment.cancelled', 'merchant-b')).toBe(false);
    expect(matches('stacked', 'payment.succeeded', 'default')).toBe(false);
  });

  it('keeps only the known fields and refuses wrong field types when the class loads', () => {
    const options = JSON.parse(
      '{"instance":"merchant-a","__proto__":{"type":"payment.cancelled"}}',
    );
    class Guarded {
      @SecPaidWebhookHandler(options)
      run(): void {}
    }
    expect(getSecPaidWebhookHandlerFilters(Guarded.prototype.run)).toEqual([
      { instance: 'merchant-a' },
    ]);
    expect(() => SecPaidWebhookHandler({ instance: 42 as unknown as string })).toThrow(
      '@SecPaidWebhookHandler: instance must be a string',
    );
  });
});
