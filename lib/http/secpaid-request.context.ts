import type { AxiosRequestConfig } from 'axios';
import type { SecPaidSecret } from '../core/secret.value.js';
import type { SecPaidBudgetLane } from '../secpaid.constants.js';
import type { SecPaidSafetyClass } from './retry.policy.js';

/**
 * Per-request settings read by the module's pipeline. Pass it as the `secpaid` field of an
 * axios request config when calling the injected HttpService directly.
 * @publicApi
 */
export interface SecPaidRequestContext {
  /**
   * Use this key instead of the module's for this one request (platforms acting for
   * merchants); a `SecPaidSecret` keeps it out of every printed form of the request config.
   */
  apiKey?: string | SecPaidSecret;
  /** The lane of the key's budget this request waits in (default `interactive`). */
  lane?: SecPaidBudgetLane;
  /**
   * Longest wait for the budget, in ms (default the module's `rateLimit.maxWaitMs`, else none):
   * a longer expected wait is refused at once with `SecPaidRateLimitError` (`clientSide`).
   */
  maxWaitMs?: number;
}

/** The call an observer watches: what telemetry may say about it (never the key or the body). */
export interface SecPaidObservedCall {
  /** The `SecPaidService` method (the operation), e.g. `createLink` or `verifyApiKey`. */
  method: string;
  /** The endpoint it calls (`POST /api/v2/<endpoint>`). */
  endpoint: string;
  safety: SecPaidSafetyClass;
}

/**
 * Receives the events of one service call from the request executor and the rate-limit stage,
 * for tracing, metrics and diagnostics channels (lib/observability/ implements it, so http/
 * never imports observability/). Every method must be cheap and must never throw.
 */
export interface SecPaidCallObserver {
  /** The limiter held the request back for `waitMs` before it could be sent. */
  limiterWaited(waitMs: number): void;
  /** An attempt got an HTTP answer (whatever its status). */
  answered(httpStatus: number): void;
  /** An attempt was answered with 429; `retrying` says whether another attempt follows. */
  rateLimited(attempt: number, retrying: boolean, retryAfterMs: number | undefined): void;
  /** Attempt `attempt` failed with `error`; the next one is sent after `delayMs`. */
  retrying(attempt: number, delayMs: number, error: unknown): void;
}

/**
 * What a `SecPaidService` call tells the pipeline about itself (internal): attached by the
 * request executor with {@link attachServiceCall}, read by the stages with
 * {@link serviceCallOf} and {@link requestApiKeyOf}.
 */
export interface SecPaidServiceCall {
  /** The call's own key, already checked by the call-options snapshot (never re-checked). */
  apiKey?: SecPaidSecret | undefined;
  /** The call's budget lane and wait bound (checked by the snapshot too). */
  lane?: SecPaidBudgetLane | undefined;
  maxWaitMs?: number | undefined;
  /** Hears the rate-limit stage's wait. */
  observer?: SecPaidCallObserver;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** nestjs-secpaid: per-request settings (see `SecPaidRequestContext`). */
    secpaid?: SecPaidRequestContext;
    /**
     * nestjs-secpaid internal: the service call this request belongs to. A plain field because
     * axios copies a request config (and its string keys) before its interceptors see it.
     */
    secpaidServiceCall?: SecPaidServiceCall;
  }
}

/**
 * Marks `config` as a request of a service call (the request executor does, once per call).
 * Held in an instance of a class, not a plain object, so axios' config merge passes it on by
 * reference instead of deep-copying it on every attempt.
 */
export function attachServiceCall(config: AxiosRequestConfig, call: SecPaidServiceCall): void {
  config.secpaidServiceCall = new ServiceCallMark(call);
}

class ServiceCallMark implements SecPaidServiceCall {
  readonly apiKey: SecPaidSecret | undefined;
  readonly lane: SecPaidBudgetLane | undefined;
  readonly maxWaitMs: number | undefined;
  readonly observer: SecPaidCallObserver | undefined;

  constructor(call: SecPaidServiceCall) {
    this.apiKey = call.apiKey;
    this.lane = call.lane;
    this.maxWaitMs = call.maxWaitMs;
    this.observer = call.observer;
  }
}

/** The service call `config` belongs to; `undefined` for a raw `@InjectSecPaidHttpService()` call. */
export function serviceCallOf(config: AxiosRequestConfig): SecPaidServiceCall | undefined {
  return config.secpaidServiceCall;
}

/**
 * How this request waits for the budget: the service call's lane and bound, or a raw call's
 * `secpaid` context (checked by the pipeline's first stage).
 */
export function requestBudgetOf(config: AxiosRequestConfig): {
  lane?: SecPaidBudgetLane | undefined;
  maxWaitMs?: number | undefined;
} {
  return config.secpaidServiceCall ?? config.secpaid ?? {};
}

/**
 * The key this request is sent with when it is not the module's: the service call's, or a raw
 * call's `secpaid.apiKey`; `undefined` for the module's own key.
 */
export function requestApiKeyOf(config: AxiosRequestConfig): SecPaidSecret | string | undefined {
  const call = config.secpaidServiceCall;
  return call !== undefined ? call.apiKey : config.secpaid?.apiKey;
}

/**
 * Options of a request interceptor that never waits: when every request interceptor of a request
 * is one (no rate-limit stage, `rateLimit: false`), axios runs them in one synchronous pass
 * instead of a promise per stage.
 */
export const SYNC_INTERCEPTOR = Object.freeze({ synchronous: true });

/** `https://host/api/v2/createLink?x=1` or `/api/v2/createLink` -> `createLink`. */
export function endpointFromUrl(url: string | undefined): string {
  if (!url) return 'unknown';
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segment = path.split('/').filter(Boolean).pop();
  return segment ?? 'unknown';
}

/** What one sent request holds until it settles: its deadline and its abort controller. */
interface AttemptDeadline {
  controller: AbortController;
  timer: ReturnType<typeof setTimeout> | undefined;
  expired: boolean;
}

/** Keyed by the attempt's own request config (axios copies a config per attempt). */
const deadlines = new WeakMap<object, AttemptDeadline>();

/**
 * Starts the attempt of `config`: its own abort controller, aborted after `timeoutMs` (when
 * positive) with the attempt marked as expired. The timer never keeps a process alive.
 */
export function beginAttempt(config: object, timeoutMs: unknown): AbortController {
  const controller = new AbortController();
  const deadline: AttemptDeadline = { controller, timer: undefined, expired: false };
  if (typeof timeoutMs === 'number' && timeoutMs > 0) {
    deadline.timer = setTimeout(() => {
      deadline.expired = true;
      controller.abort();
    }, timeoutMs);
    // The socket of a sent request keeps the process alive; a request refused after this
    // point (by the shutdown gate) never reaches the clearing side.
    deadline.timer.unref();
  }
  deadlines.set(config, deadline);
  return controller;
}

/** Ends the deadline of the attempt of `config` (answered or failed). */
export function settleAttempt(config: object | undefined): void {
  const deadline = config === undefined ? undefined : deadlines.get(config);
  if (deadline !== undefined) clearTimeout(deadline.timer);
}

/** The abort controller of this request config's attempt (the shutdown gate aborts it late). */
export function attemptControllerOf(config: object): AbortController | undefined {
  return deadlines.get(config)?.controller;
}

/**
 * True when this request config's whole-attempt deadline fired: the resulting cancel is a
 * timeout, not a caller's abort.
 */
export function attemptDeadlineExpired(config: object | undefined): boolean {
  return config !== undefined && deadlines.get(config)?.expired === true;
}
