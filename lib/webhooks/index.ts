// Public part of the webhook receiver. Tokens, the receiver and the controller stay internal.
export { parseSecPaidWebhook } from './intake/secpaid-webhook.parser.js';
export {
  SECPAID_WEBHOOK_EVENT_TYPES,
  SECPAID_WEBHOOK_UNCONFIRMED,
  type ParseSecPaidWebhookOptions,
  type SecPaidWebhookDispatchType,
  type SecPaidWebhookEvent,
  type SecPaidWebhookEventType,
} from '../models/secpaid-webhook-event.model.js';
export {
  SecPaidWebhookHandler,
  type SecPaidWebhookHandlerOptions,
} from './delivery/secpaid-webhook-handler.decorator.js';
export type {
  SecPaidWebhookClaim,
  SecPaidWebhookDedupeStore,
} from '../options/webhook-store.contracts.js';
export { SecPaidInMemoryWebhookDedupeStore } from './stores/in-memory-webhook-dedupe.store.js';
export type {
  SecPaidPendingAddOutcome,
  SecPaidPendingLimits,
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../options/webhook-store.contracts.js';
export { SecPaidInMemoryPendingPaymentStore } from './stores/in-memory-pending-payment.store.js';
