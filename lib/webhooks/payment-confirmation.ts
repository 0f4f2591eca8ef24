import { setTimeout as sleep } from 'node:timers/promises';
import { SecPaidNotFoundError } from '../errors/secpaid-not-found.error.js';
import type { Page } from '../models/page.model.js';
import type { PayInTransaction } from '../models/pay-in-transaction.model.js';
import { toCents } from '../validation/cents.util.js';
import type { SecPaidWebhookEvent } from './secpaid-webhook.event.js';

/** The one API call confirmation needs (`SecPaidService` provides it). */
export interface SecPaidPayInLookup {
  getPayInTransactions(query: { payId: number }): Promise<Page<PayInTransaction>>;
}

/** Result of confirming a `payment.succeeded` webhook against the API. */
export type PaymentConfirmation =
  | { confirmed: true; event: SecPaidWebhookEvent }
  | { confirmed: false; reason: 'not_visible' | 'amount_mismatch' };

/**
 * Looks the payment up with `getPayInTransactions({ payId })`: once it shows with status
 * Success, the webhook is confirmed when its amount (if it sent one) equals the API's in
 * integer cents; the API's amount, note and user id then replace the webhook's. A payment not shown yet (or
 * still Pending) is looked up again after each of `retryDelaysMs`. API failures other than
 * "not found" propagate: they say nothing about the webhook.
 */
export async function confirmSecPaidPayment(
  lookup: SecPaidPayInLookup,
  event: SecPaidWebhookEvent,
  retryDelaysMs: readonly number[],
): Promise<PaymentConfirmation> {
  for (let attempt = 0; ; attempt++) {
    const payIn = await findPayIn(lookup, event.payId);
    if (payIn !== undefined && payIn.status?.toLowerCase() === 'success') {
      if (event.amount !== undefined && toCents(event.amount) !== toCents(payIn.amount)) {
        return { confirmed: false, reason: 'amount_mismatch' };
      }
      return { confirmed: true, event: withApiFigures(event, payIn) };
    }
    if (attempt >= retryDelaysMs.length) return { confirmed: false, reason: 'not_visible' };
    await sleep(retryDelaysMs[attempt]);
  }
}

async function findPayIn(
  lookup: SecPaidPayInLookup,
  payId: number,
): Promise<PayInTransaction | undefined> {
  try {
    const page = await lookup.getPayInTransactions({ payId });
    // Never trust the filter blindly: only a record with this very id counts.
    return page.items.find((item) => item.payId === payId);
  } catch (error) {
    if (error instanceof SecPaidNotFoundError) return undefined;
    throw error;
  }
}

function withApiFigures(event: SecPaidWebhookEvent, payIn: PayInTransaction): SecPaidWebhookEvent {
  const confirmed: SecPaidWebhookEvent = { ...event, amount: payIn.amount, confirmed: true };
  // What the API shows wins over what the (unauthenticated) body claims.
  if (payIn.userId !== undefined) confirmed.userId = payIn.userId;
  if (payIn.note !== undefined) confirmed.note = payIn.note;
  return confirmed;
}
