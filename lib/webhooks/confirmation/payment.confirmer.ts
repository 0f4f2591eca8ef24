import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SecPaidWebhookEvent } from '../../models/secpaid-webhook-event.model.js';
import type {
  SecPaidPendingAddOutcome,
  SecPaidPendingPaymentStore,
} from '../../options/webhook-store.contracts.js';
import type { SecPaidCreatedLinks } from '../../service/created-links.ledger.js';
import { toCents } from '../../validation/secpaid.validators.js';
import type { ResolvedSecPaidOptions } from '../../options/secpaid-options.js';
import type { SecPaidWebhookTuning } from '../../secpaid.constants.js';
import type { PayInLookupBatcher } from './pay-in-lookup.batcher.js';
import { judgePayment } from './payment-confirmation.js';
import {
  PendingPaymentRechecker,
  type PendingPaymentCallbacks,
} from './pending-payment.rechecker.js';

/**
 * What an inline confirmation found: `confirmed` (with the event, now `confirmed: true`),
 * `amount_mismatch` (the API shows the pay id with another amount: a forgery), or `not_shown`
 * (not within the inline window: keep it pending).
 */
export type InlineConfirmation =
  | { verdict: 'confirmed'; event: SecPaidWebhookEvent }
  | { verdict: 'amount_mismatch' | 'not_shown'; event?: undefined };

/**
 * Where a webhook's pay id stands before any lookup: `own` (a link this app created, with the
 * same amount: it ranks above other ids in the pending store), `unknown`, or `contradicted`
 * (this app created that link with another amount: a forgery, refused without a lookup).
 */
export type PaymentRank = 'own' | 'unknown' | 'contradicted';

/** The inline confirmation window ended; the webhook becomes a pending payment. */
class InlineWindowOver extends Error {}

/**
 * Everything that confirms a `payment.succeeded` with the API: budgeted lookups shared by every
 * waiting webhook (the confirmation lane, {@link PayInLookupBatcher}), the rank of the pay id
 * (links this app created), the inline window while the request is open, and the pending
 * payments re-checked in the background ({@link PendingPaymentRechecker}).
 */
export class SecPaidPaymentConfirmer {
  private readonly logger = new Logger('SecPaidWebhooks');
  private readonly pending: PendingPaymentRechecker;

  constructor(
    private readonly batcher: PayInLookupBatcher,
    private readonly createdLinks: SecPaidCreatedLinks,
    pendingStore: SecPaidPendingPaymentStore,
    settings: ResolvedSecPaidOptions['webhooks'],
    private readonly tuning: SecPaidWebhookTuning,
    /** Aborts when the module closes: ends inline waits at once. */
    private readonly closing: AbortSignal,
    callbacks: PendingPaymentCallbacks,
  ) {
    this.pending = new PendingPaymentRechecker(
      pendingStore,
      this.batcher,
      {
        periodMs: settings ? settings.pendingPeriodMs : 0,
        maxEntries: settings ? settings.maxPending : 0,
        firstRecheckMs: tuning.firstRecheckMs,
        maxRecheckMs: tuning.maxRecheckMs,
      },
      callbacks,
    );
  }

  /** Resumes re-checking the payments the store already holds. */
  start(): Promise<void> {
    return this.pending.start();
  }

  /** Ends budgeted lookups and background re-checks. */
  async close(): Promise<void> {
    this.batcher.close();
    await this.pending.close();
  }

  /** True when the same claim is pending already. */
  isPending(event: SecPaidWebhookEvent): Promise<boolean> {
    return this.pending.isPending(event);
  }

  /** Where the event's pay id stands among the links this app created (no API call). */
  async rankOf(event: SecPaidWebhookEvent): Promise<PaymentRank> {
    const cents = await this.createdLinks.centsOf(event.payId);
    if (cents === undefined) return 'unknown';
    if (event.amount === undefined || toCents(event.amount) === cents) return 'own';
    this.logger.warn(
      `Rejected a payment.succeeded webhook for pay_id ${event.payId}: its amount differs ` +
        'from the one this app created the link with',
    );
    return 'contradicted';
  }

  /**
   * Keeps a payment the API does not show yet (`own`: of a link this app created); it is
   * re-checked in the background. `'full'` when its rank has no room: nothing held is dropped,
   * the sender is to deliver again.
   */
  async keepPending(event: SecPaidWebhookEvent, own: boolean): Promise<SecPaidPendingAddOutcome> {
    const outcome = await this.pending.add(event, own);
    if (outcome === 'full') {
      this.logger.warn(
        `payment.succeeded for pay_id ${event.payId} is not shown by the API yet and the ` +
          'pending payments are full (webhooks.maxPending); answered 503 so that it is sent again',
      );
    } else if (outcome === 'added') {
      this.logger.warn(
        `payment.succeeded for pay_id ${event.payId} is not shown by the API yet; ` +
          'kept as pending and re-checked in the background',
      );
    }
    return outcome;
  }

  /**
   * Looks for the payment while the request is open: now, then after each inline delay, all
   * within `inlineConfirmMs`. Each delivery is confirmed on its own: a concurrent forged body
   * must not decide for a genuine one.
   */
  async confirmInline(event: SecPaidWebhookEvent): Promise<InlineConfirmation> {
    const window = new AbortController();
    const timer = setTimeout(
      () => window.abort(new InlineWindowOver()),
      this.tuning.inlineConfirmMs,
    );
    const signal = AbortSignal.any([window.signal, this.closing]);
    const delays = this.tuning.confirmRetryDelaysMs;
    try {
      for (let attempt = 0; ; attempt++) {
        const verdict = judgePayment(event, await this.batcher.rowsFor([event.payId], signal));
        if (verdict.confirmed) return { verdict: 'confirmed', event: verdict.event };
        if (verdict.reason === 'amount_mismatch') {
          this.logger.warn(
            `Rejected a payment.succeeded webhook for pay_id ${event.payId}: ` +
              'its amount differs from the one the API shows',
          );
          return { verdict: 'amount_mismatch' };
        }
        if (attempt >= delays.length) return { verdict: 'not_shown' };
        await sleep(delays[attempt], undefined, { signal });
      }
    } catch (error) {
      if (window.signal.aborted && !this.closing.aborted) return { verdict: 'not_shown' };
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
