// Public part of the webhook receiver. Tokens, the receiver and the controller stay internal.
export { parseSecPaidWebhook } from './secpaid-webhook.parser.js';
export {
  SECPAID_WEBHOOK_EVENT_TYPES,
  SECPAID_WEBHOOK_UNCONFIRMED,
  type ParseSecPaidWebhookOptions,
  type SecPaidWebhookDispatchType,
  type SecPaidWebhookEvent,
  type SecPaidWebhookEventType,
} from './secpaid-webhook.event.js';
export {
  SecPaidWebhookHandler,
  type SecPaidWebhookHandlerOptions,
} from './secpaid-webhook-handler.decorator.js';
export type { SecPaidWebhookClaim, SecPaidWebhookDedupeStore } from './webhook-dedupe.store.js';
export { SecPaidInMemoryWebhookDedupeStore } from './in-memory-webhook-dedupe.store.js';
export type {
  SecPaidPendingAddResult,
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from './pending-payment.store.js';
export { SecPaidInMemoryPendingPaymentStore } from './in-memory-pending-payment.store.js';
