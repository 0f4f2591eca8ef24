import type { IncomingHttpHeaders } from 'node:http';
import {
  BadRequestException,
  HttpException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SECPAID_RESOLVED_OPTIONS } from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import { confirmSecPaidPayment, type SecPaidPayInLookup } from './payment-confirmation.js';
import {
  SECPAID_WEBHOOK_DEDUPE_STORE,
  SECPAID_WEBHOOK_INVALID_MESSAGE,
  SECPAID_WEBHOOK_MAX_BODY_BYTES,
  SECPAID_WEBHOOK_PAY_IN_LOOKUP,
  SECPAID_WEBHOOK_TUNING,
  type SecPaidWebhookTuning,
} from './secpaid-webhook.constants.js';
import {
  SecPaidWebhookDispatcher,
  SecPaidWebhookHandlerFailure,
} from './secpaid-webhook.dispatcher.js';
import type { SecPaidWebhookEvent } from './secpaid-webhook.event.js';
import { parseSecPaidWebhook } from './secpaid-webhook.parser.js';
import type { SecPaidWebhookDedupeStore } from './webhook-dedupe.store.js';
import { toSecPaidEncryptionKey } from './webhook-decryption.util.js';

/** The parts of an HTTP request the receiver reads (Express and Fastify both have them). */
export interface SecPaidWebhookRequest {
  headers: IncomingHttpHeaders;
  /** Set by Nest when the app was created with `{ rawBody: true }`. */
  rawBody?: Buffer;
  body?: unknown;
}

/** Body of a 200 answer. */
export interface SecPaidWebhookReceipt {
  received: true;
}

/** Shown (and logged) when Nest was not asked to keep the raw body. */
export const SECPAID_RAW_BODY_MISSING_MESSAGE =
  'SecPaid webhooks need the raw request body: create the app with ' +
  'NestFactory.create(AppModule, { rawBody: true })';

const PROCESSING_FAILED_MESSAGE = 'SecPaid webhook could not be processed';
/** The media types Nest's own body parsers read (and keep the raw bytes of, with rawBody). */
const NEST_PARSED_TYPES = /^\s*application\/(json|x-www-form-urlencoded)\s*(;|$)/i;

/**
 * The webhook request flow: raw body -> parse (decrypting if needed) -> drop duplicates ->
 * confirm `payment.succeeded` with the API -> run the handlers -> remember the event.
 * 400 for anything that is not an acceptable webhook, 500 when a handler or the API fails.
 */
@Injectable()
export class SecPaidWebhookReceiver implements OnApplicationBootstrap {
  private readonly logger = new Logger('SecPaidWebhooks');
  /** Per-event tails of work, so concurrent duplicates dispatch once (one at a time per key). */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(SECPAID_RESOLVED_OPTIONS) private readonly options: ResolvedSecPaidOptions,
    @Inject(SECPAID_WEBHOOK_DEDUPE_STORE) private readonly store: SecPaidWebhookDedupeStore,
    @Inject(SECPAID_WEBHOOK_TUNING) private readonly tuning: SecPaidWebhookTuning,
    @Inject(SECPAID_WEBHOOK_PAY_IN_LOOKUP) private readonly lookup: SecPaidPayInLookup,
    @Inject(SecPaidWebhookDispatcher) private readonly dispatcher: SecPaidWebhookDispatcher,
  ) {
    const key = options.webhooks ? options.webhooks.encryptionKey : undefined;
    // A key that is not 32 bytes fails start-up, not the first webhook.
    if (key !== undefined) toSecPaidEncryptionKey(key);
  }

  /** Says at start-up when webhooks are on but nothing would receive them. */
  onApplicationBootstrap(): void {
    if (this.options.webhooks === false || this.dispatcher.discover().length > 0) return;
    this.logger.warn(
      'SecPaid webhooks are enabled but no provider method is decorated with @SecPaidWebhookHandler',
    );
  }

  /** Handles one webhook request; resolves to the 200 body or throws an HttpException. */
  async receive(request: SecPaidWebhookRequest): Promise<SecPaidWebhookReceipt> {
    // Only the route mounted when `webhooks` is set calls this (see mountSecPaidWebhookRoute).
    const settings = this.options.webhooks as Exclude<ResolvedSecPaidOptions['webhooks'], false>;
    const contentType = headerValue(request.headers['content-type']);
    const rawBody = this.rawBodyOf(request, contentType);

    let event: SecPaidWebhookEvent;
    try {
      event = parseSecPaidWebhook(rawBody, { contentType, encryptionKey: settings.encryptionKey });
    } catch {
      throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
    }

    await this.process(event, settings.confirmPayments);
    return { received: true };
  }

  private rawBodyOf(request: SecPaidWebhookRequest, contentType: string | undefined): Buffer {
    const { rawBody } = request;
    if (Buffer.isBuffer(rawBody)) {
      if (rawBody.length > SECPAID_WEBHOOK_MAX_BODY_BYTES) {
        throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
      }
      return rawBody;
    }
    // A body Nest parsed (or would have) without keeping the bytes: the app misses rawBody.
    const parsed = isParsedBody(request.body);
    if (parsed || (contentType !== undefined && NEST_PARSED_TYPES.test(contentType))) {
      this.logger.error(SECPAID_RAW_BODY_MISSING_MESSAGE);
      throw new InternalServerErrorException(SECPAID_RAW_BODY_MISSING_MESSAGE);
    }
    throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
  }

  private async process(event: SecPaidWebhookEvent, confirm: boolean): Promise<void> {
    const key = `${event.type}:${event.payId}`;
    try {
      if (await this.store.seen(key)) return this.acknowledgeDuplicate(event);
      // Each delivery is confirmed on its own: a concurrent forged body must not decide for a
      // genuine one. Only the dispatch itself is serialised per event.
      const toDispatch =
        confirm && event.type === 'payment.succeeded' ? await this.confirmed(event) : event;
      await this.exclusive(key, async () => {
        if (await this.store.seen(key)) return this.acknowledgeDuplicate(event);
        await this.dispatcher.dispatch(toDispatch);
        await this.remember(key);
      });
    } catch (error) {
      if (error instanceof HttpException) throw error;
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

  private async confirmed(event: SecPaidWebhookEvent): Promise<SecPaidWebhookEvent> {
    const result = await confirmSecPaidPayment(
      this.lookup,
      event,
      this.tuning.confirmRetryDelaysMs,
    );
    if (result.confirmed) return result.event;
    this.logger.warn(
      `Rejected a payment.succeeded webhook for pay_id ${event.payId}: ` +
        (result.reason === 'amount_mismatch'
          ? 'its amount differs from the one the API shows'
          : 'the API does not show a successful payment'),
    );
    throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
  }

  private async remember(key: string): Promise<void> {
    try {
      await this.store.remember(key, this.tuning.dedupeTtlMs);
    } catch (error) {
      // The handlers ran; failing the webhook now would only make a sender repeat them.
      this.logger.warn(`Could not remember webhook ${key}: ${describe(error)}`);
    }
  }
}

function isParsedBody(body: unknown): boolean {
  if (typeof body === 'string') return body.length > 0;
  return typeof body === 'object' && body !== null && Object.keys(body).length > 0;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
