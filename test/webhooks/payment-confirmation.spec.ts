import { describe, expect, it } from '@jest/globals';
import { SecPaidNotFoundError, SecPaidServerError } from '../../lib/errors/index.js';
import type { PayInTransaction } from '../../lib/models/index.js';
import {
  confirmSecPaidPayment,
  type SecPaidPayInLookup,
} from '../../lib/webhooks/payment-confirmation.js';
import type { SecPaidWebhookEvent } from '../../lib/webhooks/secpaid-webhook.event.js';

// The HTTP path is proven end to end against the mock server (secpaid-webhook.e2e.spec.ts);
// these cases need answers the mock never gives (Pending, a list ignoring the filter).
const payIn = (payId: number, amount: number, status: string): PayInTransaction =>
  ({ payId, amount, status, note: 'api note', userId: 'api-user', raw: {} }) as PayInTransaction;

function lookupAnswering(...answers: (PayInTransaction[] | Error)[]): SecPaidPayInLookup & {
  calls: number;
} {
  const lookup = {
    calls: 0,
    async getPayInTransactions() {
      const answer = answers[Math.min(lookup.calls++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return { items: answer, page: 1, limit: 200 };
    },
  };
  return lookup;
}

const event: SecPaidWebhookEvent = {
  type: 'payment.succeeded',
  payId: 10,
  amount: 49.99,
  note: 'body note',
  encrypted: false,
  confirmed: false,
  raw: {},
};

describe('confirmSecPaidPayment', () => {
  it('re-checks a Pending payment until it shows Success', async () => {
    const lookup = lookupAnswering([payIn(10, 49.99, 'Pending')], [payIn(10, 49.99, 'Success')]);
    const result = await confirmSecPaidPayment(lookup, event, [1, 1, 1]);
    expect(lookup.calls).toBe(2);
    expect(result).toEqual({
      confirmed: true,
      event: { ...event, amount: 49.99, note: 'api note', userId: 'api-user', confirmed: true },
    });
  });

  it('compares amounts in integer cents (49.99 from a string equals 49.99)', async () => {
    const lookup = lookupAnswering([payIn(10, Number('49.990'), 'success')]);
    expect((await confirmSecPaidPayment(lookup, event, [])).confirmed).toBe(true);
  });

  it('rejects a different amount at once, without re-checks', async () => {
    const lookup = lookupAnswering([payIn(10, 50, 'Success')]);
    expect(await confirmSecPaidPayment(lookup, event, [1, 1])).toEqual({
      confirmed: false,
      reason: 'amount_mismatch',
    });
    expect(lookup.calls).toBe(1);
  });

  it('only counts a record with the very pay id (a list ignoring the filter proves nothing)', async () => {
    const lookup = lookupAnswering([payIn(11, 49.99, 'Success'), payIn(12, 49.99, 'Success')]);
    expect(await confirmSecPaidPayment(lookup, event, [1, 1])).toEqual({
      confirmed: false,
      reason: 'not_visible',
    });
    expect(lookup.calls).toBe(3);
  });

  it('treats "not found" as not visible yet, and lets other API errors through', async () => {
    const notFound = new SecPaidNotFoundError({
      endpoint: 'getPayInTransactions',
      httpStatus: 200,
    });
    const found = lookupAnswering(notFound, [payIn(10, 49.99, 'Success')]);
    expect((await confirmSecPaidPayment(found, event, [1])).confirmed).toBe(true);
    const failing = lookupAnswering(
      new SecPaidServerError({ endpoint: 'getPayInTransactions', httpStatus: 503 }),
    );
    await expect(confirmSecPaidPayment(failing, event, [1])).rejects.toBeInstanceOf(
      SecPaidServerError,
    );
  });
});
