import { SECPAID_WEBHOOK_HANDLER_METADATA } from '../../secpaid.constants.js';
import {
  SECPAID_WEBHOOK_UNCONFIRMED,
  type SecPaidWebhookDispatchType,
} from '../../models/secpaid-webhook-event.model.js';

/**
 * Which events a `@SecPaidWebhookHandler` method receives. A field left out matches anything.
 * @publicApi
 */
export interface SecPaidWebhookHandlerOptions {
  /** Only events of this SecPaid instance (`forRoot({ name })`; `'default'` for the unnamed one). */
  instance?: string;
  /** Only events of this type (`payment.unconfirmed` reaches only handlers that name it). */
  type?: SecPaidWebhookDispatchType;
}

/** What `@SecPaidWebhookHandler` stores on a method: one entry per decorator. */
export type SecPaidWebhookHandlerFilter = Readonly<SecPaidWebhookHandlerOptions>;

/**
 * Marks a provider method as a receiver of SecPaid webhook events. Without an argument the
 * method receives `payment.succeeded` and `payment.cancelled` of every instance;
 * `payment.unconfirmed` (a pending payment the API never showed) goes only to methods that name
 * it. A type (or `{ type, instance }`) narrows it.
 * The decorator may be stacked: the method runs when any of its filters matches. The method
 * gets the `SecPaidWebhookEvent` (with `instance` set); the webhook is answered 200 once every
 * handler has finished and 500 when one throws (so a retrying sender would try again).
 *
 * ```ts
 * @SecPaidWebhookHandler('payment.succeeded')
 * async onPaid(event: SecPaidWebhookEvent) { ... }
 *
 * @SecPaidWebhookHandler({ instance: 'merchant-a', type: 'payment.succeeded' })
 * async onMerchantAPaid(event: SecPaidWebhookEvent) { ... }
 * ```
 * @publicApi
 */
export function SecPaidWebhookHandler(
  filter?: SecPaidWebhookDispatchType | SecPaidWebhookHandlerOptions,
): MethodDecorator {
  const entry = toFilter(filter);
  return (_target, _key, descriptor) => {
    const handler: unknown = descriptor.value;
    if (typeof handler !== 'function') return descriptor;
    const existing: unknown = Reflect.getMetadata(SECPAID_WEBHOOK_HANDLER_METADATA, handler);
    const filters = Array.isArray(existing) ? (existing as SecPaidWebhookHandlerFilter[]) : [];
    Reflect.defineMetadata(
      SECPAID_WEBHOOK_HANDLER_METADATA,
      [...filters, entry],
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

/** True when one of `filters` accepts an event of `type` from `instance`. */
export function matchesSecPaidWebhookHandler(
  filters: readonly SecPaidWebhookHandlerFilter[],
  type: SecPaidWebhookDispatchType,
  instance: string,
): boolean {
  return filters.some(
    (f) =>
      (f.type === undefined ? type !== SECPAID_WEBHOOK_UNCONFIRMED : f.type === type) &&
      (f.instance === undefined || f.instance === instance),
  );
}

/** Copies the known fields only; a wrong field type is a programming error, thrown at load time. */
function toFilter(
  filter: SecPaidWebhookDispatchType | SecPaidWebhookHandlerOptions | undefined,
): SecPaidWebhookHandlerFilter {
  if (filter === undefined) return Object.freeze({});
  if (typeof filter === 'string') return Object.freeze({ type: filter });
  const { instance, type } = filter;
  if (instance !== undefined && typeof instance !== 'string') {
    throw new TypeError('@SecPaidWebhookHandler: instance must be a string');
  }
  if (type !== undefined && typeof type !== 'string') {
    throw new TypeError('@SecPaidWebhookHandler: type must be an event type string');
  }
  return Object.freeze({
    ...(instance === undefined ? {} : { instance }),
    ...(type === undefined ? {} : { type }),
  });
}
