import { SECPAID_WEBHOOK_HANDLER_METADATA } from './secpaid-webhook.constants.js';
import type { SecPaidWebhookDispatchType } from './secpaid-webhook.event.js';

/**
 * What `@SecPaidWebhookHandler` stores on a method: the event types it wants (`'*'` = both
 * webhook events; `payment.unconfirmed` must be named).
 */
export type SecPaidWebhookHandlerFilter = SecPaidWebhookDispatchType | '*';

/**
 * Marks a provider method as a receiver of SecPaid webhook events. Without a type the method
 * receives `payment.succeeded` and `payment.cancelled`; `payment.unconfirmed` (a pending payment
 * the API never showed) goes only to methods that name it. The decorator may be stacked. The method gets
 * the `SecPaidWebhookEvent`; the webhook is answered 200 once every handler has finished and
 * 500 when one throws (so a retrying sender would try again).
 *
 * ```ts
 * @SecPaidWebhookHandler('payment.succeeded')
 * async onPaid(event: SecPaidWebhookEvent) { ... }
 * ```
 * @publicApi
 */
export function SecPaidWebhookHandler(type?: SecPaidWebhookDispatchType): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler: unknown = descriptor.value;
    if (typeof handler !== 'function') return descriptor;
    const existing: unknown = Reflect.getMetadata(SECPAID_WEBHOOK_HANDLER_METADATA, handler);
    const filters = Array.isArray(existing) ? (existing as SecPaidWebhookHandlerFilter[]) : [];
    Reflect.defineMetadata(
      SECPAID_WEBHOOK_HANDLER_METADATA,
      [...filters, type ?? '*'],
      handler as object,
    );
    return descriptor;
  };
}

/** The filters declared on a method, or undefined when it is not a webhook handler. */
export function getSecPaidWebhookHandlerFilters(
  method: unknown,
): readonly SecPaidWebhookHandlerFilter[] | undefined {
  if (typeof method !== 'function') return undefined;
  const filters: unknown = Reflect.getMetadata(SECPAID_WEBHOOK_HANDLER_METADATA, method);
  return Array.isArray(filters) ? (filters as SecPaidWebhookHandlerFilter[]) : undefined;
}
