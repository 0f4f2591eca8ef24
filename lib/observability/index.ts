// Public names of the observability room: metric and attribute names, diagnostics channels.
export { SECPAID_ATTRIBUTES, SECPAID_METRICS, SECPAID_SPANS } from './telemetry.names.js';
export {
  SECPAID_DIAGNOSTICS_CHANNELS,
  type SecPaidApiKeyChangedMessage,
  type SecPaidCallMessage,
  type SecPaidLimiterWaitMessage,
  type SecPaidRateLimitedMessage,
  type SecPaidRetryMessage,
  type SecPaidWebhookMessage,
  type SecPaidWebhookOutcome,
} from './diagnostics.channels.js';
