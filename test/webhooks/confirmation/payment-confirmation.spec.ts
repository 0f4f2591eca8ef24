import { describe, expect, it } from '@jest/globals';
import type { PayInTransaction } from '../../../lib/models/index.js';
import { judgePayment } from '../../../lib/webhooks/confirmation/payment-confirmation.js';
import type { SecPaidWebhookEvent } from '../../../lib/models/secpaid-webhook-event.model.js';

// The HTTP path is proven end to end against the mock server (secpaid-webhook.*.e2e.spec.ts);
// these cases need rows the mock never produces (Pending, unknown types, a filter ignored).
function row(
  amount: number,
  status = 'Success',
  extra: Partial<PayInTransaction> = {},
): PayInTransaction {
  return {
    payId: 10,
    amount,
    status,
    note: 'api note',
    userId: 'api-user',
    transactionType: 'Basic',
    isRefund: false,
    isDispute: false,
    raw: {},
    ...extra,
  } as PayInTransaction;
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

describe('judgePayment', () => {
  it('confirms with the API figures replacing the body claims', () => {
    expect(judgePayment(event, [row(49.99)])).toEqual({
      confirmed: true,
      event: { ...event, amount: 49.99, note: 'api note', userId: 'api-user', confirmed: true },
    });
  });

  it('compares amounts in integer cents (49.990 from a string equals 49.99)', () => {
    expect(judgePayment(event, [row(Number('49.990'), 'success')]).confirmed).toBe(true);
  });

  it('a different amount is a mismatch', () => {
    expect(judgePayment(event, [row(50)])).toEqual({
      confirmed: false,
      reason: 'amount_mismatch',
    });
  });

  it('a Pending payment is not visible yet', () => {
    expect(judgePayment(event, [row(49.99, 'Pending')])).toEqual({
      confirmed: false,
      reason: 'not_visible',
    });
  });

  it('only counts a row with the very pay id (a list ignoring the filter proves nothing)', () => {
    const rows = [row(49.99, 'Success', { payId: 11 }), row(49.99, 'Success', { payId: 12 })];
    expect(judgePayment(event, rows).confirmed).toBe(false);
  });

  it.each([
    ['a refund row', row(-49.99, 'Success', { isRefund: true, transactionType: 'Refund' })],
    ['a refund row with a positive amount', row(49.99, 'Success', { transactionType: 'Refund' })],
    ['a dispute row', row(49.99, 'Success', { isDispute: true, transactionType: 'Dispute' })],
    ['a dispute refund row', row(49.99, 'Success', { transactionType: 'Dispute Refund' })],
    ['a row flagged refund only', row(49.99, 'Success', { isRefund: true })],
    ['a row of a type not known', row(49.99, 'Success', { transactionType: 'Payout' })],
    ['a zero amount', row(0)],
  ])('%s never confirms', (_name, candidate) => {
    expect(judgePayment(event, [candidate])).toEqual({ confirmed: false, reason: 'not_visible' });
    const { amount: _amount, ...withoutAmount } = event;
    expect(judgePayment(withoutAmount, [candidate]).confirmed).toBe(false);
  });

  it('after a refund (refund row newest), the payment row still confirms, with its own amount', () => {
    const rows = [
      row(-40, 'Success', { isRefund: true, transactionType: 'Refund' }),
      row(40, 'Success', { transactionType: 'Split', isSplit: true }),
    ];
    const { amount: _amount, ...withoutAmount } = event;
    expect(judgePayment(withoutAmount, rows)).toMatchObject({
      confirmed: true,
      event: { amount: 40 },
    });
    expect(judgePayment({ ...event, amount: 40 }, rows).confirmed).toBe(true);
  });
});
