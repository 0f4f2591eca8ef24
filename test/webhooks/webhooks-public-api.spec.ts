import { describe, expect, it } from '@jest/globals';
import * as entry from '../../lib/index.js';

describe('public webhook API of nestjs-secpaid', () => {
  it('exports the parser, the decorator, the dedupe store and the event types', () => {
    expect(typeof entry.parseSecPaidWebhook).toBe('function');
    expect(typeof entry.SecPaidWebhookHandler).toBe('function');
    expect(typeof entry.SecPaidInMemoryWebhookDedupeStore).toBe('function');
    expect(entry.SECPAID_WEBHOOK_EVENT_TYPES).toEqual([
      'payment.succeeded',
      'payment.cancelled',
      'payment.failed',
      'payment.unknown',
    ]);
    expect(typeof entry.SecPaidWebhookError).toBe('function');
  });

  it('keeps internal tokens and classes out of the entry', () => {
    const names = Object.keys(entry);
    for (const internal of [
      'SECPAID_WEBHOOK_DEDUPE_STORE',
      'SECPAID_WEBHOOK_TUNING',
      'SECPAID_WEBHOOK_PAY_IN_LOOKUP',
      'SECPAID_WEBHOOK_ROUTE',
      'SecPaidWebhookReceiver',
      'SecPaidWebhookDispatcher',
    ]) {
      expect(names).not.toContain(internal);
    }
  });
});
