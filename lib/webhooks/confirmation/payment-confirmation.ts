import type { SecPaidBudgetLane } from '../../secpaid.constants.js';
import type { Page } from '../../models/page.model.js';
import {
  isSuccessfulPaymentRow,
  type PayInTransaction,
} from '../../models/pay-in-transaction.model.js';
import { toCents } from '../../validation/secpaid.validators.js';
import type { SecPaidWebhookEvent } from '../../models/secpaid-webhook-event.model.js';

/** The one API call confirmation needs (`SecPaidService` provides it). */
export interface SecPaidPayInLookup {
  getPayInTransactions(
    query: { payId?: number; page?: number; limit?: number },
    options?: { lane?: SecPaidBudgetLane; signal?: AbortSignal },
  ): Promise<Page<PayInTransaction>>;
}

/** What the API's rows say about a `payment.succeeded` webhook. */
export type PaymentConfirmation =
  | { confirmed: true; event: SecPaidWebhookEvent }
  | { confirmed: false; reason: 'not_visible' | 'amount_mismatch' };

/**
 * Judges a `payment.succeeded` webhook by the pay-in rows the API returned (any rows: only
 * successful payment rows with the webhook's very pay id count). With one of them, the webhook
 * is confirmed when its amount, if it sent one, equals the row's in integer cents; the API's
 * amount, note and user id then replace the webhook's. No such row yet: `not_visible`.
 */
export function judgePayment(
  event: SecPaidWebhookEvent,
  rows: readonly PayInTransaction[],
): PaymentConfirmation {
  const payments = rows.filter((row) => row.payId === event.payId && isSuccessfulPaymentRow(row));
  if (payments.length === 0) return { confirmed: false, reason: 'not_visible' };
  const wanted = event.amount === undefined ? undefined : toCents(event.amount);
  const match =
    event.amount === undefined
      ? payments[0]
      : payments.find((row) => wanted !== undefined && toCents(row.amount) === wanted);
  if (match === undefined) return { confirmed: false, reason: 'amount_mismatch' };
  return { confirmed: true, event: withApiFigures(event, match) };
}

function withApiFigures(event: SecPaidWebhookEvent, payIn: PayInTransaction): SecPaidWebhookEvent {
  const confirmed: SecPaidWebhookEvent = { ...event, amount: payIn.amount, confirmed: true };
  // What the API shows wins over what the (unauthenticated) body claims.
  if (payIn.userId !== undefined) confirmed.userId = payIn.userId;
  if (payIn.note !== undefined) confirmed.note = payIn.note;
  return confirmed;
}
