import type { SecPaidWebhookOutcome } from './diagnostics.channels.js';

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
