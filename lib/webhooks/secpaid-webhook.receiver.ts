import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  Logger,
  ServiceUnavailableException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { describeError } from '../core/secpaid.errors.js';
import type { SecPaidWebhookEvent } from '../models/secpaid-webhook-event.model.js';
import type { SecPaidTelemetry } from '../observability/secpaid.telemetry.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import { SECPAID_WEBHOOK_INVALID_MESSAGE } from '../secpaid.constants.js';
import { PayInLookupClosedError } from './confirmation/pay-in-lookup.batcher.js';
import type { SecPaidPaymentConfirmer } from './confirmation/payment.confirmer.js';
import {
  SecPaidWebhookHandlerFailure,
  type SecPaidWebhookDispatcher,
} from './delivery/secpaid-webhook.dispatcher.js';
import type { SecPaidWebhookDelivery } from './delivery/webhook.delivery.js';
import {
  readSecPaidWebhookEvent,
  type SecPaidWebhookRequest,
} from './intake/webhook-request.body.js';
import { toSecPaidEncryptionKey } from './intake/webhook-body.decoder.js';
import { ownWebhookRouteBody } from './intake/webhook-route.body-owner.js';

/** Body of a 200 (dispatched or duplicate) or 202 (kept as pending) answer. */
export interface SecPaidWebhookReceipt {
  received: true;
  /** Set on a 202: the API does not show the payment yet; it is re-checked in the background. */
  pending?: true;
}

const PROCESSING_FAILED_MESSAGE = 'SecPaid webhook could not be processed';
/** 503 answer while the pending payments are full: the sender delivers again later. */
const PENDING_FULL_MESSAGE = 'SecPaid webhook cannot be kept now; send it again later';
const RECEIVED: SecPaidWebhookReceipt = { received: true };
const PENDING: SecPaidWebhookReceipt = { received: true, pending: true };

/** What the receiver orchestrates: the rooms of webhooks/, wired by the registration. */
export interface SecPaidWebhookRooms {
  /** Duplicates, claims and handler runs (delivery/). */
  delivery: SecPaidWebhookDelivery;
  /** The inline confirmation window and the pending payments (confirmation/). */
  confirmer: SecPaidPaymentConfirmer;
  /** Finds the `@SecPaidWebhookHandler` methods (delivery/). */
  dispatcher: SecPaidWebhookDispatcher;
  /** Aborted on destroy: ends inline waits and budgeted lookups (the confirmer listens). */
  closing: AbortController;
}

/**
 * The webhook request flow, over the rooms of webhooks/: intake (own body reading, parse,
 * decryption) -> delivery drops duplicates -> confirmation of `payment.succeeded` with the API
 * within a short inline window -> delivery claims the event, runs the handlers and marks it
 * done (or releases the claim when a handler fails). A success the API does not show yet is
 * kept as pending (202) and re-checked in the background. 400 for anything that is not an
 * acceptable webhook, 409 while another replica processes the event, 500 when a handler or the
 * API fails, 503 when the pending payments are full (the sender delivers again; nothing held is
 * dropped) or the app closes meanwhile. `payment.failed` and unknown statuses are acknowledged
 * (200) and delivered unconfirmed to the handlers that ask for them.
 */
export class SecPaidWebhookReceiver
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger('SecPaidWebhooks');
  private readonly delivery: SecPaidWebhookDelivery;
  private readonly confirmer: SecPaidPaymentConfirmer;
  private readonly dispatcher: SecPaidWebhookDispatcher;
  private readonly closing: AbortController;
  private releaseRoute: () => void = () => {};

  /** Built by the registration (secpaid-webhook.providers.ts), which wires the rooms. */
  constructor(
    private readonly options: ResolvedSecPaidOptions,
    rooms: SecPaidWebhookRooms,
    private readonly adapterHost: HttpAdapterHost,
    private readonly telemetry: SecPaidTelemetry,
  ) {
    const settings = options.webhooks;
    // A key that is not 32 bytes fails start-up, not the first webhook.
    if (settings && settings.encryptionKey !== undefined) {
      toSecPaidEncryptionKey(settings.encryptionKey);
    }
    this.delivery = rooms.delivery;
    this.confirmer = rooms.confirmer;
    this.dispatcher = rooms.dispatcher;
    this.closing = rooms.closing;
  }

  /** Takes over the body of the webhook route and resumes re-checking stored pending payments. */
  async onModuleInit(): Promise<void> {
    const settings = this.options.webhooks;
    if (settings === false) return;
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter) this.releaseRoute = ownWebhookRouteBody(adapter, settings.path);
    if (settings.confirmPayments) await this.confirmer.start();
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
    await this.confirmer.close();
  }

  /**
   * Handles one webhook request; resolves to the 200/202 body or throws an HttpException. Traced
   * as span `secpaid webhook` and the `secpaid:webhook` channel (lib/observability/).
   */
  receive(request: SecPaidWebhookRequest): Promise<SecPaidWebhookReceipt> {
    return this.telemetry.traceWebhook(async (webhook) => {
      // Only the route mounted when `webhooks` is set calls this (see mountSecPaidWebhookRoute).
      const settings = this.options.webhooks as Exclude<ResolvedSecPaidOptions['webhooks'], false>;
      const event = await readSecPaidWebhookEvent(request, settings.encryptionKey, this.logger);
      webhook.parsed(event);
      const receipt = await this.process(event, settings.confirmPayments);
      if (receipt === PENDING) webhook.settle('pending');
      return receipt;
    });
  }

  private async process(
    event: SecPaidWebhookEvent,
    confirm: boolean,
  ): Promise<SecPaidWebhookReceipt> {
    try {
      if (await this.delivery.isDuplicate(event)) return RECEIVED;
      if (!confirm || event.type !== 'payment.succeeded') {
        await this.delivery.deliver(event);
        return RECEIVED;
      }
      // The same claim is pending already: answer at once, without another lookup.
      if (await this.confirmer.isPending(event)) return PENDING;
      const rank = await this.confirmer.rankOf(event);
      if (rank === 'contradicted') throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
      const confirmed = await this.telemetry.traceConfirmation(event.payId, async () => {
        const { verdict, event: shown } = await this.confirmer.confirmInline(event);
        if (verdict === 'amount_mismatch') {
          throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
        }
        return shown;
      });
      if (confirmed === undefined) {
        if ((await this.confirmer.keepPending(event, rank === 'own')) === 'full') {
          throw new ServiceUnavailableException(PENDING_FULL_MESSAGE);
        }
        return PENDING;
      }
      await this.delivery.deliver(confirmed);
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
          describeError(error),
        );
      }
      throw new InternalServerErrorException(PROCESSING_FAILED_MESSAGE);
    }
  }
}
