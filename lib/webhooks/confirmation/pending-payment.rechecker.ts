import { Logger } from '@nestjs/common';
import { describeError } from '../../core/secpaid.errors.js';
import { toCents } from '../../validation/cents.util.js';
import { judgePayment } from './payment-confirmation.js';
import { PayInLookupClosedError, type PayInLookupBatcher } from './pay-in-lookup.batcher.js';
import type {
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../../options/webhook-store.contracts.js';
import type { SecPaidWebhookEvent } from '../../models/secpaid-webhook-event.model.js';

/** Settings of {@link PendingPaymentRechecker}. */
export interface PendingPaymentSettings {
  /** How long a pending payment is re-checked, in ms. */
  periodMs: number;
  /** Most entries pending at once; the oldest are dropped beyond it. */
  maxEntries: number;
  /** Wait before the first re-check; doubled after each one. */
  firstRecheckMs: number;
  /** Longest wait between two re-checks. */
  maxRecheckMs: number;
}

/** What the re-checker hands back to the receiver. */
export interface PendingPaymentCallbacks {
  /** Runs the handlers of a confirmed event once (dedupe included); throws when one fails. */
  dispatch(event: SecPaidWebhookEvent): Promise<void>;
  /** Reports a payment that was never confirmed (log line and optional handler event). */
  unconfirmed(entry: SecPaidPendingPayment, reason: 'expired' | 'evicted'): Promise<void>;
}

/** Most due entries handled per round (all of them share one lookup). */
const DUE_BATCH = 1000;

/**
 * Keeps `payment.succeeded` webhooks the API did not show in time and re-checks them in the
 * background with exponential backoff until `periodMs` has passed. Every round's due entries
 * share one call of the {@link PayInLookupBatcher}, so a large pending set costs no more
 * than a small one. Once the API shows a payment, its handlers run with `confirmed: true`; an
 * entry that expires (or is evicted to stay within `maxEntries`) is reported as unconfirmed.
 * `close()` clears the timer; nothing runs after it.
 */
export class PendingPaymentRechecker {
  private readonly logger = new Logger('SecPaidWebhooks');
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt: number | undefined;
  private round: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: SecPaidPendingPaymentStore,
    private readonly batcher: PayInLookupBatcher,
    private readonly settings: PendingPaymentSettings,
    private readonly callbacks: PendingPaymentCallbacks,
    private readonly now: () => number = Date.now,
  ) {}

  /** The store key of an event: one entry per pay id and claimed amount. */
  static keyOf(event: SecPaidWebhookEvent): string {
    const cents = event.amount === undefined ? undefined : toCents(event.amount);
    return `${event.payId}:${cents ?? 'any'}`;
  }

  /**
   * Whether the same claim (pay id and amount) is pending already. If so, it is moved up to the
   * next round: a genuine delivery must not wait out the backoff of a forged twin sent earlier
   * (rounds stay within the confirmation budget however often this happens).
   */
  async isPending(event: SecPaidWebhookEvent): Promise<boolean> {
    const entry = await this.store.get(PendingPaymentRechecker.keyOf(event));
    if (entry === undefined) return false;
    const now = this.now();
    if (entry.nextCheckAt > now) {
      await this.store.update({ ...entry, nextCheckAt: now });
      this.wakeAt(now);
    }
    return true;
  }

  /** Keeps `event` for background re-checks (a no-op when the same claim is pending). */
  async add(event: SecPaidWebhookEvent): Promise<void> {
    const now = this.now();
    const entry: SecPaidPendingPayment = {
      key: PendingPaymentRechecker.keyOf(event),
      event,
      receivedAt: now,
      expiresAt: now + this.settings.periodMs,
      nextCheckAt: now + Math.min(this.settings.firstRecheckMs, this.settings.periodMs),
      checks: 0,
    };
    const { added, evicted } = await this.store.add(entry, this.settings.maxEntries);
    for (const old of evicted) await this.report(old, 'evicted');
    if (added) this.wakeAt(entry.nextCheckAt);
  }

  /** Starts re-checking what the store already holds (a shared store survives restarts). */
  async start(): Promise<void> {
    this.wakeAt((await this.store.nextCheckAt()) ?? this.idleLookAt());
  }

  /** Stops the timer and waits for a round under way. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round?.catch(() => undefined);
  }

  private wakeAt(at: number): void {
    if (this.closed || (this.timerAt !== undefined && this.timerAt <= at)) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = undefined;
        this.round = this.runRound().finally(() => (this.round = undefined));
      },
      Math.max(0, at - this.now()),
    );
    // Pending re-checks never keep a process alive on their own.
    this.timer.unref();
  }

  private async runRound(): Promise<void> {
    // After a failed round (API or store down), wait at least the first backoff step.
    let earliest = this.now() + 1;
    try {
      const due = await this.store.due(this.now(), DUE_BATCH);
      const live = await this.expire(due);
      if (live.length > 0) await this.recheck(live);
    } catch (error) {
      if (error instanceof PayInLookupClosedError || this.closed) return;
      this.logger.warn(`Re-checking pending payments failed: ${describeError(error)}`);
      earliest = this.now() + this.settings.firstRecheckMs;
    }
    if (this.closed) return;
    const next = await this.store
      .nextCheckAt()
      .catch(() => this.now() + this.settings.maxRecheckMs);
    this.wakeAt(Math.max(next ?? this.idleLookAt(), earliest));
  }

  /**
   * With nothing pending, the store is looked at again after `maxRecheckMs`: a shared store
   * may hold entries that a replica which stopped added (the round costs no API call).
   */
  private idleLookAt(): number {
    return this.now() + this.settings.maxRecheckMs;
  }

  /** Reports and removes the entries past their period; returns the others. */
  private async expire(due: SecPaidPendingPayment[]): Promise<SecPaidPendingPayment[]> {
    const live: SecPaidPendingPayment[] = [];
    for (const entry of due) {
      if (entry.expiresAt > this.now()) {
        live.push(entry);
        continue;
      }
      await this.store.remove(entry.key);
      await this.report(entry, 'expired');
    }
    return live;
  }

  private async recheck(entries: SecPaidPendingPayment[]): Promise<void> {
    // Confirmed entries (their handlers failed) are retried without asking the API again.
    const unconfirmed = entries.filter((entry) => !entry.event.confirmed);
    const rows =
      unconfirmed.length === 0
        ? []
        : await this.batcher.rowsFor([...new Set(unconfirmed.map((e) => e.event.payId))]);
    for (const entry of entries) {
      if (this.closed) return;
      const verdict = entry.event.confirmed
        ? { confirmed: true as const, event: entry.event }
        : judgePayment(entry.event, rows);
      if (verdict.confirmed) {
        await this.dispatch(entry, verdict.event);
      } else if (verdict.reason === 'amount_mismatch') {
        await this.store.remove(entry.key);
        this.logger.warn(
          `Dropped a pending payment.succeeded for pay_id ${entry.event.payId}: ` +
            'its amount differs from the one the API shows',
        );
      } else {
        await this.reschedule(entry, entry.event);
      }
    }
  }

  private async dispatch(entry: SecPaidPendingPayment, event: SecPaidWebhookEvent): Promise<void> {
    try {
      await this.callbacks.dispatch(event);
      await this.store.remove(entry.key);
      this.logger.log(
        `Pending payment.succeeded for pay_id ${event.payId} confirmed and dispatched`,
      );
    } catch {
      // The dispatcher logged the handler failure; retry the handlers at the next round.
      await this.reschedule(entry, event);
    }
  }

  private async reschedule(
    entry: SecPaidPendingPayment,
    event: SecPaidWebhookEvent,
  ): Promise<void> {
    const wait = Math.min(
      this.settings.firstRecheckMs * 2 ** (entry.checks + 1),
      this.settings.maxRecheckMs,
    );
    await this.store.update({
      ...entry,
      event,
      checks: entry.checks + 1,
      nextCheckAt: Math.min(this.now() + wait, entry.expiresAt),
    });
  }

  private async report(entry: SecPaidPendingPayment, reason: 'expired' | 'evicted'): Promise<void> {
    try {
      await this.callbacks.unconfirmed(entry, reason);
    } catch (error) {
      this.logger.warn(`A payment.unconfirmed handler failed: ${describeError(error)}`);
    }
  }
}
