import { ConflictException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { describeError } from '../../core/secpaid.errors.js';
import {
  SECPAID_WEBHOOK_UNCONFIRMED,
  type SecPaidWebhookEvent,
} from '../../models/secpaid-webhook-event.model.js';
import type {
  SecPaidPendingPayment,
  SecPaidWebhookDedupeStore,
} from '../../options/webhook-store.contracts.js';
import {
  SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS,
  SECPAID_WEBHOOK_IN_PROGRESS_MESSAGE,
  type SecPaidWebhookTuning,
} from '../../secpaid.constants.js';
import type { SecPaidWebhookDispatcher } from './secpaid-webhook.dispatcher.js';

/**
 * Exactly-once delivery of webhook events to their handlers: an event is claimed in the store
 * (shared by every replica when it is Redis), its handlers run, then it is marked done; a failed
 * handler releases the claim so a redelivery runs them again. Within one process, deliveries of
 * the same event run one after another.
 */
export class SecPaidWebhookDelivery {
  private readonly logger = new Logger('SecPaidWebhooks');
  /** Per-event tails of work, so concurrent duplicates dispatch once (one at a time per key). */
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Unknown status values logged so far (each once; bounded, a sender chooses them). */
  private readonly unknownStatuses = new Set<string>();

  constructor(
    private readonly store: SecPaidWebhookDedupeStore,
    private readonly dispatcher: SecPaidWebhookDispatcher,
    private readonly tuning: SecPaidWebhookTuning,
  ) {}

  /** True when the event was delivered before (a duplicate is acknowledged and logged). */
  async isDuplicate(event: SecPaidWebhookEvent): Promise<boolean> {
    if (!(await this.store.isDone?.(deliveryKeyOf(event)))) return false;
    this.acknowledgeDuplicate(event);
    return true;
  }

  /**
   * Claims the event, runs the handlers, then marks it done (the one dedupe call site); a
   * failure releases the claim so a redelivery runs them again. Another delivery holding the
   * claim (another replica, with a shared store) gets a 409.
   */
  async deliver(event: SecPaidWebhookEvent): Promise<void> {
    if (event.type === 'payment.unknown') this.noteUnknownStatus(event);
    const key = deliveryKeyOf(event);
    await this.exclusive(key, async () => {
      const token = randomUUID();
      const claimTtlMs = this.tuning.claimTtlMs ?? SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS;
      const claim = await this.store.claim(key, token, claimTtlMs);
      if (claim === 'done') return this.acknowledgeDuplicate(event);
      if (claim === 'processing') {
        this.logger.log(
          `${event.type} webhook for pay_id ${event.payId} is being processed elsewhere`,
        );
        throw new ConflictException(SECPAID_WEBHOOK_IN_PROGRESS_MESSAGE);
      }
      try {
        await this.dispatcher.dispatch(event);
      } catch (error) {
        await this.store.release(key, token).catch((releaseError: unknown) => {
          this.logger.warn(`Could not release webhook ${key}: ${describeError(releaseError)}`);
        });
        throw error;
      }
      await this.complete(key, token);
    });
  }

  /** A pending payment's period ended unconfirmed: one log line, and the optional handler event. */
  async reportUnconfirmed(entry: SecPaidPendingPayment): Promise<void> {
    const { event } = entry;
    if (event.confirmed) {
      this.logger.error(
        `payment.succeeded for pay_id ${event.payId} was confirmed, but its handlers kept ` +
          'failing until the pending period ended; it will not be retried',
      );
      return;
    }
    this.logger.warn(
      `${SECPAID_WEBHOOK_UNCONFIRMED}: the API never showed pay_id ${event.payId}` +
        `${event.amount === undefined ? '' : ` (amount ${event.amount})`}; ` +
        `expired after ${entry.checks} re-checks`,
    );
    await this.dispatcher.dispatch({
      ...event,
      type: SECPAID_WEBHOOK_UNCONFIRMED,
      confirmed: false,
    });
  }

  /** Logs each unknown status value once (at most {@link MAX_LOGGED_STATUSES} of them). */
  private noteUnknownStatus(event: SecPaidWebhookEvent): void {
    const status = event.status ?? '';
    if (this.unknownStatuses.has(status) || this.unknownStatuses.size >= MAX_LOGGED_STATUSES) {
      return;
    }
    this.unknownStatuses.add(status);
    this.logger.warn(
      `SecPaid webhook with unknown status '${status}' (pay_id ${event.payId}) acknowledged ` +
        'as payment.unknown: never a payment; only handlers naming payment.unknown receive it' +
        (this.unknownStatuses.size === MAX_LOGGED_STATUSES
          ? '; further unknown statuses are not logged'
          : ''),
    );
  }

  private acknowledgeDuplicate(event: SecPaidWebhookEvent): void {
    this.logger.log(`Duplicate ${event.type} webhook for pay_id ${event.payId} acknowledged`);
  }

  /** Runs `work` after every earlier work of the same key has settled. */
  private async exclusive(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(work);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  private async complete(key: string, token: string): Promise<void> {
    try {
      await this.store.complete(key, token, this.tuning.dedupeTtlMs);
    } catch (error) {
      // The handlers ran; failing the webhook now would only make a sender repeat them.
      this.logger.warn(`Could not remember webhook ${key}: ${describeError(error)}`);
    }
  }
}

/** Distinct unknown status values logged; more would let a sender fill the log. */
const MAX_LOGGED_STATUSES = 20;

/** One delivery key per event type and pay id (and status, for an unknown one). */
function deliveryKeyOf(event: SecPaidWebhookEvent): string {
  // An unknown status is its own event: `Refunded` and `Chargeback` of one pay id both run.
  return event.type === 'payment.unknown'
    ? `${event.type}:${event.status ?? ''}:${event.payId}`
    : `${event.type}:${event.payId}`;
}
