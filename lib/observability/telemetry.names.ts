/**
 * Every name nestjs-secpaid records under, in one place (README "Observability" lists them).
 * Instrument and attribute names follow the OpenTelemetry semantic conventions where one exists
 * (`error.type`, `http.response.status_code`, `server.address`, `http.request.resend_count`);
 * the rest live under `secpaid.`.
 */

/** Tracer and meter name (the version is the package's). */
export const SECPAID_INSTRUMENTATION_SCOPE = 'nestjs-secpaid';

/**
 * Metric instruments.
 * @publicApi
 */
export const SECPAID_METRICS = Object.freeze({
  /** Histogram, s: one service call from start to its result, retries and limiter waits included. */
  operationDuration: 'secpaid.client.operation.duration',
  /** Counter: answers with HTTP 429. */
  rateLimited: 'secpaid.client.rate_limited',
  /** Counter: retries sent (attempts after the first). */
  retries: 'secpaid.client.retries',
  /** Counter: requests the module's rate limiter held back. */
  limiterWaits: 'secpaid.client.limiter.waits',
  /** Histogram, s: how long each held-back request waited for the limiter. */
  limiterWaitDuration: 'secpaid.client.limiter.wait.duration',
  /** Counter: webhook requests by outcome. */
  webhookEvents: 'secpaid.webhook.events',
  /** Counter: payment confirmations against the API by outcome. */
  webhookConfirmations: 'secpaid.webhook.confirmations',
  /** UpDownCounter: payment confirmations under way (waiting for the API to show the payment). */
  pendingConfirmations: 'secpaid.webhook.confirmations.pending',
});

/**
 * Span and metric attributes. Never the key, a note, a webhook body or an input value.
 * @publicApi
 */
export const SECPAID_ATTRIBUTES = Object.freeze({
  operation: 'secpaid.operation',
  endpoint: 'secpaid.endpoint',
  safetyClass: 'secpaid.safety_class',
  environment: 'secpaid.environment',
  attempts: 'secpaid.attempts',
  limiterWaitMs: 'secpaid.limiter.wait_ms',
  outcome: 'secpaid.outcome',
  retryDelayMs: 'secpaid.retry.delay_ms',
  webhookType: 'secpaid.webhook.type',
  webhookEncrypted: 'secpaid.webhook.encrypted',
  webhookOutcome: 'secpaid.webhook.outcome',
  confirmationOutcome: 'secpaid.confirmation.outcome',
  payId: 'secpaid.pay_id',
  errorType: 'error.type',
  httpStatusCode: 'http.response.status_code',
  httpMethod: 'http.request.method',
  resendCount: 'http.request.resend_count',
  serverAddress: 'server.address',
  serverPort: 'server.port',
});

/** Span names. */
export const SECPAID_SPANS = Object.freeze({
  /** `secpaid <operation>`, e.g. `secpaid createLink`. */
  operationPrefix: 'secpaid ',
  webhook: 'secpaid webhook',
  confirmation: 'secpaid webhook confirm',
  /** Event on an operation span, one per retry. */
  retryEvent: 'secpaid.retry',
});

/**
 * `http.client.request.duration`'s advised buckets (OpenTelemetry HTTP semantic conventions), in
 * seconds; a call with retries can take longer, so a few larger buckets follow.
 */
export const SECPAID_DURATION_BUCKETS_S = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60,
]);
