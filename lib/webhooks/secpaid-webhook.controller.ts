import {
  Controller,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import type { SecPaidWebhookReceipt } from '../models/secpaid-webhook-event.model.js';
import { SecPaidWebhookReceiver } from './secpaid-webhook.receiver.js';
import type { SecPaidWebhookRequest } from './intake/webhook-request.body.js';

/** The shape of the generated controller. */
export interface SecPaidWebhookControllerInstance {
  receive(request: SecPaidWebhookRequest, response: unknown): Promise<SecPaidWebhookReceipt>;
}

/**
 * Creates a fresh controller class for one `forRoot`/`forRootAsync` call. Its route is added
 * later by {@link mountSecPaidWebhookRoute}, once the (possibly async) options are known; a
 * class of its own per registration keeps two apps in one process from sharing a route.
 */
export function createSecPaidWebhookController(): Type<SecPaidWebhookControllerInstance> {
  @Controller()
  class SecPaidWebhookController implements SecPaidWebhookControllerInstance {
    constructor(
      @Inject(SecPaidWebhookReceiver) private readonly receiver: SecPaidWebhookReceiver,
      @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    ) {}

    async receive(
      @Req() request: SecPaidWebhookRequest,
      @Res({ passthrough: true }) response: unknown,
    ): Promise<SecPaidWebhookReceipt> {
      const receipt = await this.receiver.receive(request);
      // 202: kept, not processed yet (re-checked in the background); 200 otherwise.
      if (receipt.pending) this.adapterHost.httpAdapter.status(response, HttpStatus.ACCEPTED);
      return receipt;
    }
  }
  return SecPaidWebhookController;
}

/**
 * Gives the controller its `POST /<path>` route when webhooks are configured. It runs while
 * providers are instantiated, before Nest registers routes; without `webhooks` the controller
 * gets no path, so Nest maps no route at all (the path answers 404) and logs nothing for it.
 * @returns the mounted path, or false
 */
export function mountSecPaidWebhookRoute(
  controller: Type<SecPaidWebhookControllerInstance>,
  webhooks: ResolvedSecPaidOptions['webhooks'],
): string | false {
  if (webhooks === false) {
    // No controller paths at all: Nest then neither maps it nor logs an empty
    // `SecPaidWebhookController {/}` line (it logs one line per controller path).
    Controller([])(controller);
    return false;
  }
  const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, 'receive');
  if (descriptor === undefined) return false;
  Post(webhooks.path)(controller.prototype, 'receive', descriptor);
  HttpCode(200)(controller.prototype, 'receive', descriptor);
  return webhooks.path;
}
