import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import {
  SecPaidWebhookHandler,
  getSecPaidWebhookHandlerFilters,
  matchesSecPaidWebhookHandler,
} from '../../../lib/webhooks/delivery/secpaid-webhook-handler.decorator.js';

class Handlers {
  @SecPaidWebhookHandler()
  any(): void {}

  @SecPaidWebhookHandler('payment.cancelled')
  cancelled(): void {}

  @SecPaidWebhookHandler({ instance: 'merchant-a' })
  @SecPaidWebhookHandler({ instance: 'merchant-b', type: 'payment.succeeded' })
  stacked(): void {}
}

const matches = (
  method: keyof Handlers,
  type: 'payment.succeeded' | 'payment.cancelled',
  instance: string,
) =>
  matchesSecPaidWebhookHandler(
    getSecPaidWebhookHandlerFilters(Handlers.prototype[method])!,
    type,
    instance,
  );

describe('@SecPaidWebhookHandler filters', () => {
  it('without an argument, matches every type of every instance', () => {
    expect(matches('any', 'payment.succeeded', 'default')).toBe(true);
    expect(matches('any', 'payment.cancelled', 'merchant-a')).toBe(true);
  });

  it('a type alone matches that type from any instance (the form used before named instances)', () => {
    expect(matches('cancelled', 'payment.cancelled', 'merchant-b')).toBe(true);
    expect(matches('cancelled', 'payment.succeeded', 'default')).toBe(false);
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
