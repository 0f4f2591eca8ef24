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
import type {
  SecPaidWebhookEvent,
  SecPaidWebhookReceipt,
} from '../models/secpaid-webhook-event.model.js';
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
import { ownWebhookRouteBody } from './intake/webhook-route.body-owner.js';

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
  private releaseRoute: () => void = () => {};

  /**
   * Built by the registration (secpaid-webhook.providers.ts), which wires the rooms. The options
   * were validated when resolved (a wrong-length encryption key fails start-up there).
   */
  constructor(
    private readonly options: ResolvedSecPaidOptions,
    private readonly rooms: SecPaidWebhookRooms,
    private readonly adapterHost: HttpAdapterHost,
    private readonly telemetry: SecPaidTelemetry,
  ) {}

  /** Takes over the body of the webhook route and resumes re-checking stored pending payments. */
  async onModuleInit(): Promise<void> {
    const settings = this.options.webhooks;
    if (settings === false) return;
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter) this.releaseRoute = ownWebhookRouteBody(adapter, settings.path);
    if (settings.confirmPayments) await this.rooms.confirmer.start();
  }

  /** Says at start-up when webhooks are on but nothing would receive them. */
  onApplicationBootstrap(): void {
    if (this.options.webhooks === false || this.rooms.dispatcher.discover().length > 0) return;
    this.logger.warn(
      'SecPaid webhooks are enabled but no provider method is decorated with @SecPaidWebhookHandler',
    );
  }

  /** Ends everything that waits: inline confirmations, budgeted lookups, background re-checks. */
  async onModuleDestroy(): Promise<void> {
    this.rooms.closing.abort();
    this.releaseRoute();
    await this.rooms.confirmer.close();
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
    const { delivery, confirmer, closing } = this.rooms;
    try {
      if (await delivery.isDuplicate(event)) return RECEIVED;
      if (!confirm || event.type !== 'payment.succeeded') {
        await delivery.deliver(event);
        return RECEIVED;
      }
      // The same claim is pending already: answer at once, without another lookup.
      if (await confirmer.isPending(event)) return PENDING;
      const rank = await confirmer.rankOf(event);
      if (rank === 'contradicted') throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
      const confirmed = await this.telemetry.traceConfirmation(event.payId, async () => {
        const { verdict, event: shown } = await confirmer.confirmInline(event);
        if (verdict === 'amount_mismatch') {
          throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
        }
        return shown;
      });
      if (confirmed === undefined) {
        if ((await confirmer.keepPending(event, rank === 'own')) === 'full') {
          throw new ServiceUnavailableException(PENDING_FULL_MESSAGE);
        }
        return PENDING;
      }
      await delivery.deliver(confirmed);
      return RECEIVED;
    } catch (error) {
      if (error instanceof HttpException) throw error;
      if (error instanceof PayInLookupClosedError || closing.signal.aborted) {
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
