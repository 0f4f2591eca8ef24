import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BadRequestException,
  ConflictException,
  HttpException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  ServiceUnavailableException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  SECPAID_RESOLVED_OPTIONS,
  SECPAID_WEBHOOK_DEDUPE_STORE,
  SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS,
  SECPAID_WEBHOOK_IN_PROGRESS_MESSAGE,
  SECPAID_WEBHOOK_INVALID_MESSAGE,
  SECPAID_WEBHOOK_PAY_IN_LOOKUP,
  SECPAID_WEBHOOK_PENDING_STORE,
  SECPAID_WEBHOOK_TUNING,
  type SecPaidWebhookTuning,
  SECPAID_TELEMETRY,
} from '../secpaid.constants.js';
import { type SecPaidTelemetry } from '../observability/secpaid.telemetry.js';
import type { SecPaidWebhookRecorder } from '../observability/webhook.recorder.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import {
  PayInLookupBatcher,
  PayInLookupClosedError,
} from './confirmation/pay-in-lookup.batcher.js';
import { judgePayment, type SecPaidPayInLookup } from './confirmation/payment-confirmation.js';
import { PendingPaymentRechecker } from './confirmation/pending-payment.rechecker.js';
import type {
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../options/pending-payment.store.js';
import {
  SecPaidWebhookDispatcher,
  SecPaidWebhookHandlerFailure,
} from './delivery/secpaid-webhook.dispatcher.js';
import {
  SECPAID_WEBHOOK_UNCONFIRMED,
  type SecPaidWebhookEvent,
} from '../models/secpaid-webhook-event.model.js';
import { parseSecPaidWebhook } from './intake/secpaid-webhook.parser.js';
import type { SecPaidWebhookDedupeStore } from '../options/webhook-dedupe.store.js';
import { toSecPaidEncryptionKey } from './intake/webhook-decryption.util.js';
import { ownWebhookRouteBody } from './intake/webhook-route.body-owner.js';
import {
  SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE,
  readWebhookRequestBody,
  type SecPaidWebhookRequest,
} from './intake/webhook-request.body.js';

/** Body of a 200 (dispatched or duplicate) or 202 (kept as pending) answer. */
export interface SecPaidWebhookReceipt {
  received: true;
  /** Set on a 202: the API does not show the payment yet; it is re-checked in the background. */
  pending?: true;
}

const PROCESSING_FAILED_MESSAGE = 'SecPaid webhook could not be processed';
const RECEIVED: SecPaidWebhookReceipt = { received: true };
const PENDING: SecPaidWebhookReceipt = { received: true, pending: true };

/** The inline confirmation window ended; the webhook becomes a pending payment. */
class InlineWindowOver extends Error {}

/**
 * The webhook request flow: own body reading -> parse (decrypting if needed) -> drop
 * duplicates -> confirm `payment.succeeded` with the API within a short inline window (lookups
 * shared and budgeted by the {@link PayInLookupBatcher}) -> claim the event -> run the handlers
 * -> mark it done (or release the claim when a handler fails). A success the API does not show
 * yet is kept as pending (202) and re-checked in the background.
 * 400 for anything that is not an acceptable webhook, 500 when a handler or the API fails.
 */
@Injectable()
export class SecPaidWebhookReceiver
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger('SecPaidWebhooks');
  /** Per-event tails of work, so concurrent duplicates dispatch once (one at a time per key). */
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly closing = new AbortController();
  private readonly batcher: PayInLookupBatcher;
  private readonly pending: PendingPaymentRechecker;
  private releaseRoute: () => void = () => {};

  constructor(
    @Inject(SECPAID_RESOLVED_OPTIONS) private readonly options: ResolvedSecPaidOptions,
    @Inject(SECPAID_WEBHOOK_DEDUPE_STORE) private readonly store: SecPaidWebhookDedupeStore,
    @Inject(SECPAID_WEBHOOK_TUNING) private readonly tuning: SecPaidWebhookTuning,
    @Inject(SECPAID_WEBHOOK_PAY_IN_LOOKUP) lookup: SecPaidPayInLookup,
    @Inject(SecPaidWebhookDispatcher) private readonly dispatcher: SecPaidWebhookDispatcher,
    @Inject(SECPAID_WEBHOOK_PENDING_STORE) pendingStore: SecPaidPendingPaymentStore,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(SECPAID_TELEMETRY) private readonly telemetry: SecPaidTelemetry,
  ) {
    const settings = options.webhooks;
    // A key that is not 32 bytes fails start-up, not the first webhook.
    if (settings && settings.encryptionKey !== undefined) {
      toSecPaidEncryptionKey(settings.encryptionKey);
    }
    this.batcher = new PayInLookupBatcher(lookup, {
      callsPerMinute: settings ? settings.confirmCallsPerMinute : 1,
      listLimit: tuning.confirmListLimit,
    });
    this.pending = new PendingPaymentRechecker(
      pendingStore,
      this.batcher,
      {
        periodMs: settings ? settings.pendingPeriodMs : 0,
        maxEntries: settings ? settings.maxPending : 0,
        firstRecheckMs: tuning.firstRecheckMs,
        maxRecheckMs: tuning.maxRecheckMs,
      },
      {
        dispatch: (event) => this.dispatchOnce(event),
        unconfirmed: (entry, reason) => this.reportUnconfirmed(entry, reason),
      },
    );
  }

  /** Takes over the body of the webhook route and resumes re-checking stored pending payments. */
  async onModuleInit(): Promise<void> {
    const settings = this.options.webhooks;
    if (settings === false) return;
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter) this.releaseRoute = ownWebhookRouteBody(adapter, settings.path);
    if (settings.confirmPayments) await this.pending.start();
  }

  /** Says at start-up when webhooks are on but nothing would receive them. */
  onApplicationBootstrap(): void {
    if (this.options.webhooks === false || this.dispatcher.discover().length > 0) return;
    this.logger.warn(
      'SecPaid webhooks are enabled but no provider method is decorated with @SecPaidWebhookHandler',
    );
  }

  /** Ends everything that waits: inline confirmations, budgeted lookups, background re-checks. */
  async onModuleDestroy(): Promise<void> {
    this.closing.abort();
    this.releaseRoute();
    this.batcher.close();
    await this.pending.close();
  }

  /**
   * Handles one webhook request; resolves to the 200/202 body or throws an HttpException. Traced
   * as span `secpaid webhook` and the `secpaid:webhook` channel (lib/observability/).
   */
  receive(request: SecPaidWebhookRequest): Promise<SecPaidWebhookReceipt> {
    return this.telemetry.traceWebhook((webhook) => this.receiveObserved(request, webhook));
  }

  private async receiveObserved(
    request: SecPaidWebhookRequest,
    webhook: SecPaidWebhookRecorder,
  ): Promise<SecPaidWebhookReceipt> {
    // Only the route mounted when `webhooks` is set calls this (see mountSecPaidWebhookRoute).
    const settings = this.options.webhooks as Exclude<ResolvedSecPaidOptions['webhooks'], false>;
    const body = await readWebhookRequestBody(request);
    if (body === 'consumed') {
      this.logger.error(SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE);
      throw new InternalServerErrorException(SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE);
    }
    if (body.read.kind !== 'bytes') {
      throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
    }
    const { contentType } = body;
    const bytes = body.read.bytes;

    let event: SecPaidWebhookEvent;
    try {
      event = parseSecPaidWebhook(bytes, { contentType, encryptionKey: settings.encryptionKey });
    } catch {
      throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
    }
    webhook.parsed(event);
    const receipt = await this.process(event, settings.confirmPayments);
    if (receipt === PENDING) webhook.settle('pending');
    return receipt;
  }

  private async process(
    event: SecPaidWebhookEvent,
    confirm: boolean,
  ): Promise<SecPaidWebhookReceipt> {
    try {
      if (await this.store.isDone?.(dedupeKeyOf(event))) {
        this.acknowledgeDuplicate(event);
        return RECEIVED;
      }
      if (!confirm || event.type !== 'payment.succeeded') {
        await this.dispatchOnce(event);
        return RECEIVED;
      }
      // The same claim is pending already: answer at once, without another lookup.
      if (await this.pending.isPending(event)) return PENDING;
      // Each delivery is confirmed on its own: a concurrent forged body must not decide for a
      // genuine one. Only the dispatch itself is serialised per event.
      const confirmed = await this.telemetry.traceConfirmation(event.payId, () =>
        this.confirmInline(event),
      );
      if (confirmed === undefined) {
        await this.pending.add(event);
        this.logger.warn(
          `payment.succeeded for pay_id ${event.payId} is not shown by the API yet; ` +
            'kept as pending and re-checked in the background',
        );
        return PENDING;
      }
      await this.dispatchOnce(confirmed);
      return RECEIVED;
    } catch (error) {
      if (error instanceof HttpException) throw error;
      if (error instanceof PayInLookupClosedError || this.closing.signal.aborted) {
        throw new ServiceUnavailableException(PROCESSING_FAILED_MESSAGE);
      }
      // Handler failures were logged by the dispatcher; anything else is logged here.
      if (!(error instanceof SecPaidWebhookHandlerFailure)) {
        this.logger.error(
          `Processing ${event.type} for pay_id ${event.payId} failed`,
          describe(error),
        );
      }
      throw new InternalServerErrorException(PROCESSING_FAILED_MESSAGE);
    }
  }

  /**
   * Looks for the payment while the request is open: now, then after each inline delay, all
   * within `inlineConfirmMs`. Resolves to the confirmed event, or undefined when the API does
   * not show it in time; a different amount is a 400.
   */
  private async confirmInline(
    event: SecPaidWebhookEvent,
  ): Promise<SecPaidWebhookEvent | undefined> {
    const window = new AbortController();
    const timer = setTimeout(
      () => window.abort(new InlineWindowOver()),
      this.tuning.inlineConfirmMs,
    );
    const signal = AbortSignal.any([window.signal, this.closing.signal]);
    const delays = this.tuning.confirmRetryDelaysMs;
    try {
      for (let attempt = 0; ; attempt++) {
        const verdict = judgePayment(event, await this.batcher.rowsFor([event.payId], signal));
        if (verdict.confirmed) return verdict.event;
        if (verdict.reason === 'amount_mismatch') {
          this.logger.warn(
            `Rejected a payment.succeeded webhook for pay_id ${event.payId}: ` +
              'its amount differs from the one the API shows',
          );
          throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
        }
        if (attempt >= delays.length) return undefined;
        await sleep(delays[attempt], undefined, { signal });
      }
    } catch (error) {
      if (
        window.signal.aborted &&
        !this.closing.signal.aborted &&
        !(error instanceof HttpException)
      ) {
        return undefined;
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Claims the event, runs the handlers, then marks it done (the one dedupe call site); a
   * failure releases the claim so a redelivery runs them again. Another delivery holding the
   * claim (another replica, with a shared store) gets a 409.
   */
  private async dispatchOnce(event: SecPaidWebhookEvent): Promise<void> {
    const key = dedupeKeyOf(event);
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
          this.logger.warn(`Could not release webhook ${key}: ${describe(releaseError)}`);
        });
        throw error;
      }
      await this.complete(key, token);
    });
  }

  /** A pending payment left the set unconfirmed: one log line, and the optional handler event. */
  private async reportUnconfirmed(
    entry: SecPaidPendingPayment,
    reason: 'expired' | 'evicted',
  ): Promise<void> {
    const { event } = entry;
    if (event.confirmed) {
      this.logger.error(
        `payment.succeeded for pay_id ${event.payId} was confirmed, but its handlers kept ` +
          `failing until the pending period ended (${reason}); it will not be retried`,
      );
      return;
    }
    this.logger.warn(
      `${SECPAID_WEBHOOK_UNCONFIRMED}: the API never showed pay_id ${event.payId}` +
        `${event.amount === undefined ? '' : ` (amount ${event.amount})`}; ` +
        `${reason} after ${entry.checks} re-checks`,
    );
    await this.dispatcher.dispatch({
      ...event,
      type: SECPAID_WEBHOOK_UNCONFIRMED,
      confirmed: false,
    });
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
      this.logger.warn(`Could not remember webhook ${key}: ${describe(error)}`);
    }
  }
}

function dedupeKeyOf(event: SecPaidWebhookEvent): string {
  return `${event.type}:${event.payId}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
