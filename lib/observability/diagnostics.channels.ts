import diagnostics from 'node:diagnostics_channel';
import type { SecPaidSafetyClass } from '../http/retry.policy.js';

/**
 * `node:diagnostics_channel` names: APM tools subscribe with no dependency on this package
 * (README "Observability"). `call` and `webhook` are TracingChannels (`tracing:<name>:start`,
 * `:end`, `:asyncStart`, `:asyncEnd`, `:error`); the others are plain channels.
 * @publicApi
 */
export const SECPAID_DIAGNOSTICS_CHANNELS = Object.freeze({
  /** TracingChannel: one trace per `SecPaidService` call; message `SecPaidCallMessage`. */
  call: 'secpaid:call',
  /** TracingChannel: one trace per webhook request; message `SecPaidWebhookMessage`. */
  webhook: 'secpaid:webhook',
  /** Channel: a retry is about to wait; message `SecPaidRetryMessage`. */
  retry: 'secpaid:call:retry',
  /** Channel: an answer with HTTP 429; message `SecPaidRateLimitedMessage`. */
  rateLimited: 'secpaid:call:rate-limited',
  /** Channel: the limiter held a request back; message `SecPaidLimiterWaitMessage`. */
  limiterWait: 'secpaid:call:limiter-wait',
  /** Channel: an instance's API key changed (rotation); message `SecPaidApiKeyChangedMessage`. */
  apiKeyChanged: 'secpaid:api-key:changed',
});

/**
 * Context of a `secpaid:call` trace. The same object travels through start, end and error and
 * is filled in as the call goes: `attempts`, `limiterWaitMs`, `httpStatus`, then `outcome`.
 * `error` (on error) and `result` (on asyncEnd) are set by Node's TracingChannel; `result` is the
 * method's return value and may hold personal data (notes): read it in-process only.
 * @publicApi
 */
export interface SecPaidCallMessage {
  operation: string;
  endpoint: string;
  safety: SecPaidSafetyClass;
  environment: string;
  /** Attempts sent so far (1 + retries). */
  attempts: number;
  /** Total time the limiter held this call's requests back, in ms. */
  limiterWaitMs: number;
  /** Status of the last HTTP answer, when there was one. */
  httpStatus?: number;
  outcome?: 'success' | 'error';
  /** Error class name on failure (`SecPaidRateLimitError`, ...). */
  errorType?: string;
  error?: unknown;
  result?: unknown;
}

/**
 * Context of a `secpaid:webhook` trace: filled in once the body was parsed, `outcome` at the end.
 * @publicApi
 */
export interface SecPaidWebhookMessage {
  type?: string;
  payId?: number;
  encrypted?: boolean;
  outcome?: SecPaidWebhookOutcome;
  error?: unknown;
  result?: unknown;
}

/**
 * How a webhook request ended: answered 200 (`dispatched`: handlers ran, or the event had been
 * handled before), a payment the API does not show yet, kept and re-checked in the background
 * (`pending`, 202), not an acceptable webhook (`rejected`, 400), a handler or API failure
 * (`failed`), webhooks not enabled (`disabled`).
 * @publicApi
 */
export type SecPaidWebhookOutcome = 'dispatched' | 'pending' | 'rejected' | 'failed' | 'disabled';

/** Message of `secpaid:call:retry`. @publicApi */
export interface SecPaidRetryMessage {
  operation: string;
  endpoint: string;
  /** The resend about to happen: 1 for the first retry (`http.request.resend_count`). */
  resendCount: number;
  delayMs: number;
  errorType: string;
}

/** Message of `secpaid:call:rate-limited`. @publicApi */
export interface SecPaidRateLimitedMessage {
  operation: string;
  endpoint: string;
  attempt: number;
  retrying: boolean;
  retryAfterMs?: number;
}

/** Message of `secpaid:call:limiter-wait`. @publicApi */
export interface SecPaidLimiterWaitMessage {
  operation: string;
  endpoint: string;
  waitMs: number;
}

/**
 * Message of `secpaid:api-key:changed`: the first characters of the SHA-256 (hex) of the old
 * and the new key, never a key. @publicApi
 */
export interface SecPaidApiKeyChangedMessage {
  /** The instance name (`'default'` without `name`). */
  instance: string;
  previousKeyHash: string;
  keyHash: string;
  /** `refresh`: the periodic read; `refused`: read because SecPaid refused the key. */
  reason: 'refresh' | 'refused';
}

/** The channel objects, created once (diagnostics_channel keeps them by name anyway). */
export const secpaidChannels = {
  call: diagnostics.tracingChannel<unknown, SecPaidCallMessage>(SECPAID_DIAGNOSTICS_CHANNELS.call),
  webhook: diagnostics.tracingChannel<unknown, SecPaidWebhookMessage>(
    SECPAID_DIAGNOSTICS_CHANNELS.webhook,
  ),
  retry: diagnostics.channel(SECPAID_DIAGNOSTICS_CHANNELS.retry),
  rateLimited: diagnostics.channel(SECPAID_DIAGNOSTICS_CHANNELS.rateLimited),
  limiterWait: diagnostics.channel(SECPAID_DIAGNOSTICS_CHANNELS.limiterWait),
  apiKeyChanged: diagnostics.channel(SECPAID_DIAGNOSTICS_CHANNELS.apiKeyChanged),
};

/** True when anyone listens to a call's channels (otherwise a call publishes nothing). */
export function callChannelsHaveSubscribers(): boolean {
  return (
    secpaidChannels.call.hasSubscribers ||
    secpaidChannels.retry.hasSubscribers ||
    secpaidChannels.rateLimited.hasSubscribers ||
    secpaidChannels.limiterWait.hasSubscribers
  );
}

/** What telemetry may know of a webhook: never its body, note, user id or amount. */
export interface SecPaidObservedWebhook {
  type: string;
  payId: number;
  encrypted: boolean;
}

/**
 * What the receiver tells telemetry about one webhook request while handling it. In a file of
 * its own on purpose: the receiver's declarations then never reach a type of the optional
 * `@opentelemetry/api` (test/packaging/optional-opentelemetry.spec.ts).
 */
export interface SecPaidWebhookRecorder {
  /** The body parsed into this event. */
  parsed(event: SecPaidObservedWebhook): void;
  /** Says how the request ended when an error alone would not tell (`pending`). */
  settle(outcome: SecPaidWebhookOutcome): void;
}
