import { Logger } from '@nestjs/common';
import { describeError } from '../../core/secpaid.errors.js';
import { toCents } from '../../validation/secpaid.validators.js';
import { judgePayment } from './payment-confirmation.js';
import { PayInLookupClosedError, type PayInLookupBatcher } from './pay-in-lookup.batcher.js';
import type {
  SecPaidPendingAddOutcome,
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../../options/webhook-store.contracts.js';
import type { SecPaidWebhookEvent } from '../../models/secpaid-webhook-event.model.js';

/** Settings of {@link PendingPaymentRechecker}. */
export interface PendingPaymentSettings {
  /** How long a pending payment is re-checked, in ms. */
  periodMs: number;
  /** Most entries pending at once, per rank (own links, other ids); beyond it a new one is refused. */
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
  unconfirmed(entry: SecPaidPendingPayment): Promise<void>;
}

/** Most due entries handled per round (all of them share one lookup). */
const DUE_BATCH = 1000;
/**
 * Largest event kept whole with a pending entry, as JSON characters. SecPaid's webhooks are a
 * few hundred bytes; a bigger (forged) body keeps its parsed fields only, so an entry costs
 * little whatever was posted.
 */
const MAX_KEPT_JSON = 2_048;
/** Longest note or user id kept with a pending entry whose event is not kept whole. */
const MAX_KEPT_TEXT = 256;

/**
 * Keeps `payment.succeeded` webhooks the API did not show in time and re-checks them in the
 * background with exponential backoff until `periodMs` has passed. Every round's due entries
 * share one call of the {@link PayInLookupBatcher}, so a large pending set costs no more
 * than a small one. Once the API shows a payment, its handlers run with `confirmed: true`; an
 * entry whose period ends is reported as unconfirmed, and one whose amount the API contradicts
 * is dropped. A full store refuses new entries (the receiver answers 503) and never drops one
 * it holds. Times are the store's (durations only pass between them); `close()` clears the
 * timer, and nothing runs after it.
 */
export class PendingPaymentRechecker {
  private readonly logger = new Logger('SecPaidWebhooks');
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires, on this process's monotonic clock. */
  private timerAt: number | undefined;
  private round: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: SecPaidPendingPaymentStore,
    private readonly batcher: PayInLookupBatcher,
    private readonly settings: PendingPaymentSettings,
    private readonly callbacks: PendingPaymentCallbacks,
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
    if (!(await this.store.hurry(PendingPaymentRechecker.keyOf(event)))) return false;
    this.wakeIn(0);
    return true;
  }

  /**
   * Keeps `event` for background re-checks, `own` when this app created its link. Resolves to
   * `'full'` when its rank has no room: nothing held is dropped for it.
   */
  async add(event: SecPaidWebhookEvent, own: boolean): Promise<SecPaidPendingAddOutcome> {
    const { periodMs, firstRecheckMs, maxEntries } = this.settings;
    const outcome = await this.store.add(
      { key: PendingPaymentRechecker.keyOf(event), event: compact(event), own },
      { periodMs, firstCheckMs: firstRecheckMs, maxEntries },
    );
    if (outcome === 'added') this.wakeIn(Math.min(firstRecheckMs, periodMs));
    return outcome;
  }

  /** Starts re-checking what the store already holds (a shared store survives restarts). */
  async start(): Promise<void> {
    this.wakeIn((await this.store.nextCheckInMs()) ?? this.settings.maxRecheckMs);
  }

  /** Stops the timer and waits for a round under way. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round?.catch(() => undefined);
  }

  /** Runs a round in `delayMs` unless one is due sooner. */
  private wakeIn(delayMs: number): void {
    const at = performance.now() + Math.max(0, delayMs);
    if (this.closed || (this.timerAt !== undefined && this.timerAt <= at)) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = undefined;
        this.round = this.runRound().finally(() => (this.round = undefined));
      },
      Math.max(0, delayMs),
    );
    // Pending re-checks never keep a process alive on their own.
    this.timer.unref();
  }

  private async runRound(): Promise<void> {
    // After a failed round (API or store down), wait at least the first backoff step.
    let least = 1;
    try {
      const due = await this.store.due(DUE_BATCH);
      const live = await this.expire(due);
      if (live.length > 0) await this.recheck(live);
    } catch (error) {
      if (error instanceof PayInLookupClosedError || this.closed) return;
      this.logger.warn(`Re-checking pending payments failed: ${describeError(error)}`);
      least = this.settings.firstRecheckMs;
    }
    if (this.closed) return;
    // With nothing pending, the store is looked at again after `maxRecheckMs`: a shared store
    // may hold entries that a replica which stopped added (the round costs no API call).
    const next = await this.store.nextCheckInMs().catch(() => this.settings.maxRecheckMs);
    this.wakeIn(Math.max(next ?? this.settings.maxRecheckMs, least));
  }

  /** Reports and removes the entries whose period ended (by the store's clock); returns the others. */
  private async expire(due: SecPaidPendingPayment[]): Promise<SecPaidPendingPayment[]> {
    const live: SecPaidPendingPayment[] = [];
    for (const entry of due) {
      if (!entry.expired) {
        live.push(entry);
        continue;
      }
      await this.store.remove(entry.key);
      await this.report(entry);
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
    await this.store.reschedule({ ...entry, event, checks: entry.checks + 1 }, wait);
  }

  private async report(entry: SecPaidPendingPayment): Promise<void> {
    try {
      await this.callbacks.unconfirmed(entry);
    } catch (error) {
      this.logger.warn(`A payment.unconfirmed handler failed: ${describeError(error)}`);
    }
  }
}

/**
 * The event as kept: whole when small; else without `raw`, and without a note or user id
 * longer than a real one (the confirmed event takes the API's figures anyway).
 */
function compact(event: SecPaidWebhookEvent): SecPaidWebhookEvent {
  if (JSON.stringify(event).length <= MAX_KEPT_JSON) return event;
  const { raw: _raw, note, userId, ...fields } = event;
  return {
    ...fields,
    ...(note !== undefined && note.length <= MAX_KEPT_TEXT ? { note } : {}),
    ...(userId !== undefined && userId.length <= MAX_KEPT_TEXT ? { userId } : {}),
    raw: {},
  };
}
