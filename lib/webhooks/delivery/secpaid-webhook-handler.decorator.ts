import {
  SECPAID_DEFAULT_INSTANCE,
  SECPAID_WEBHOOK_HANDLER_METADATA,
} from '../../secpaid.constants.js';
import {
  SECPAID_WEBHOOK_DEFAULT_TYPES,
  type SecPaidWebhookDispatchType,
} from '../../models/secpaid-webhook-event.model.js';

/** `instance` value of a handler that receives the events of every SecPaid instance. */
export const SECPAID_ANY_INSTANCE = '*';

/**
 * Which events a `@SecPaidWebhookHandler` method receives.
 * @publicApi
 */
export interface SecPaidWebhookHandlerOptions {
  /**
   * Only events of this SecPaid instance (`forRoot({ name })`); `'*'` for every instance.
   * Left out: the default (unnamed) instance only.
   */
  instance?: string;
  /**
   * Only events of this type. Left out: `payment.succeeded` and `payment.cancelled`;
   * `payment.failed`, `payment.unknown` and `payment.unconfirmed` reach only handlers that name
   * them, so "anything but cancelled" can never be mistaken for "paid".
   */
  type?: SecPaidWebhookDispatchType;
}

/** What `@SecPaidWebhookHandler` stores on a method: one entry per decorator. */
export type SecPaidWebhookHandlerFilter = Readonly<SecPaidWebhookHandlerOptions>;

/**
 * Marks a provider method as a receiver of SecPaid webhook events. Without an argument the
 * method receives `payment.succeeded` and `payment.cancelled` of the default instance;
 * `payment.failed`, `payment.unknown` (a status this version does not know) and
 * `payment.unconfirmed` (a pending payment the API never showed) go only to methods that name
 * them. `{ type, instance }` chooses; `instance: '*'` receives every instance's events.
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
 *
 * @SecPaidWebhookHandler({ instance: '*', type: 'payment.failed' })
 * async onAnyFailed(event: SecPaidWebhookEvent) { ... }
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
      (f.type === undefined
        ? (SECPAID_WEBHOOK_DEFAULT_TYPES as readonly string[]).includes(type)
        : f.type === type) && handlesInstance(f, instance),
  );
}

/** True when `filter` takes events of `instance` (no instance named: the default one). */
export function handlesInstance(filter: SecPaidWebhookHandlerFilter, instance: string): boolean {
  const wanted = filter.instance ?? SECPAID_DEFAULT_INSTANCE;
  return wanted === SECPAID_ANY_INSTANCE || wanted === instance;
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
