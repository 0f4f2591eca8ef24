import { Controller, HttpCode, Inject, Post, Req, type Type } from '@nestjs/common';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import {
  SecPaidWebhookReceiver,
  type SecPaidWebhookReceipt,
  type SecPaidWebhookRequest,
} from './secpaid-webhook.receiver.js';

/** The shape of the generated controller. */
export interface SecPaidWebhookControllerInstance {
  receive(request: SecPaidWebhookRequest): Promise<SecPaidWebhookReceipt>;
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
    ) {}

    receive(@Req() request: SecPaidWebhookRequest): Promise<SecPaidWebhookReceipt> {
      return this.receiver.receive(request);
    }
  }
  return SecPaidWebhookController;
}

/**
 * Gives the controller its `POST /<path>` route when webhooks are configured. It runs while
 * providers are instantiated, before Nest registers routes; without `webhooks` the method
 * gets no route metadata, so Nest maps no route at all (the path answers 404).
 * @returns the mounted path, or false
 */
export function mountSecPaidWebhookRoute(
  controller: Type<SecPaidWebhookControllerInstance>,
  webhooks: ResolvedSecPaidOptions['webhooks'],
): string | false {
  if (webhooks === false) return false;
  const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, 'receive');
  if (descriptor === undefined) return false;
  Post(webhooks.path)(controller.prototype, 'receive', descriptor);
  HttpCode(200)(controller.prototype, 'receive', descriptor);
  return webhooks.path;
}
