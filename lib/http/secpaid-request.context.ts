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

type AbortListener = (event: { type: 'abort' }) => void;

/**
 * The abort signal of one sent request (an attempt), aborted by the first of: its deadline
 * (`timeoutMs` from sending to the last byte), the caller's `signal`, and the shutdown gate at
 * the end of the close grace. Without a caller's signal it is itself the `config.signal` axios
 * listens to (a plain object axios takes as its `GenericAbortSignal`): a native
 * `AbortController` per request and the listener axios adds to it cost about a tenth of a
 * `createLink` with 32 in flight (docs/performance.md).
 */
export class SecPaidAttemptSignal {
  /** Read by axios before it sends and as it starts the request. */
  aborted = false;
  /** True when the deadline fired: the resulting cancel is a timeout, not an abort. */
  expired = false;
  private listeners: AbortListener[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Aborts the native signal joined with a caller's (see {@link joinedWith}). */
  private joined: AbortController | undefined;

  /** Starts the deadline when `timeoutMs` is positive; the timer never keeps a process alive. */
  constructor(readonly timeoutMs: number) {
    if (timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.expired = true;
        this.abort();
      }, timeoutMs);
      // The socket of a sent request keeps the process alive; a request refused after this
      // point (by the shutdown gate) never reaches `settle`.
      this.timer.unref();
    }
  }

  /**
   * A native signal aborted by `caller` or by this attempt, for a request with its own signal.
   * `AbortSignal.any` adds no listener to `caller`: one signal shared by many calls in flight
   * draws no leak warning.
   */
  joinedWith(caller: AbortSignal): AbortSignal {
    this.joined = new AbortController();
    return AbortSignal.any([caller, this.joined.signal]);
  }

  /** axios' abort listener (`type` is always `abort`). */
  addEventListener(type: string, listener: AbortListener): void {
    if (type === 'abort') this.listeners.push(listener);
  }

  /** axios removes its listener once the request settles. */
  removeEventListener(type: string, listener: AbortListener): void {
    if (type === 'abort') this.listeners = this.listeners.filter((known) => known !== listener);
  }

  /** Aborts the request: axios rejects it with `ERR_CANCELED`. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    clearTimeout(this.timer);
    this.joined?.abort();
    for (const listener of this.listeners) listener({ type: 'abort' });
  }

  /** Ends the deadline (the request was answered or failed). */
  settle(): void {
    clearTimeout(this.timer);
  }
}

/** Node's longest timer; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Where an attempt's own request config (axios' per-attempt copy) keeps its attempt signal. */
const ATTEMPT = Symbol('nestjs-secpaid:attempt');
type WithAttempt = { [ATTEMPT]?: SecPaidAttemptSignal };

/**
 * Gives the attempt of `config` its {@link SecPaidAttemptSignal}, for `config.timeout` ms (the
 * call's `timeoutMs`, else the module's). axios' own `timeout` is cleared on this copy of the
 * config: the attempt's deadline is stricter (it bounds the whole attempt, where axios times
 * the connect phase and each idle stretch of the socket), so axios' two timers per request
 * would never fire first.
 */
export function beginAttempt(config: AxiosRequestConfig): SecPaidAttemptSignal {
  // Only a timer-sized integer becomes the deadline; anything else a raw call may pass (a
  // string, Infinity) stays axios' to read, as axios would have.
  const owned = Number.isInteger(config.timeout) && config.timeout! > 0;
  const attempt = new SecPaidAttemptSignal(owned ? Math.min(config.timeout!, MAX_TIMER_MS) : 0);
  const caller = config.signal as AbortSignal | undefined;
  config.signal = caller === undefined ? attempt : attempt.joinedWith(caller);
  if (owned) config.timeout = 0;
  (config as WithAttempt)[ATTEMPT] = attempt;
  return attempt;
}

/** The attempt of a request config that passed the deadline stage. */
export function attemptOf(config: unknown): SecPaidAttemptSignal | undefined {
  return (config as WithAttempt | undefined)?.[ATTEMPT];
}
