import type { AxiosInstance, GenericAbortSignal, InternalAxiosRequestConfig } from 'axios';
import { SYNC_INTERCEPTOR } from './secpaid-request.context.js';

/** What one sent request holds until it settles: its deadline and its abort controller. */
interface AttemptDeadline {
  controller: AbortController;
  timer: ReturnType<typeof setTimeout> | undefined;
  expired: boolean;
}

const deadlines = new WeakMap<object, AttemptDeadline>();

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

/**
 * Gives every sent request one abort controller of its own, aborted by the first of: its
 * deadline (`config.timeout`), the caller's `signal`, and the end of the close grace (the
 * shutdown gate aborts the controllers of the requests it let through). `AbortSignal.any`
 * joins them only when the caller gave a signal: it costs about four times a plain controller
 * per request.
 *
 * The deadline bounds the whole attempt, from sending to the last byte of the answer. axios'
 * own `timeout` is a socket idle timeout: a server that sends its headers and then one byte
 * every 500 ms keeps the call pending without bound. Inside the rate-limit stage of the
 * pipeline, so it starts only once the call leaves the queue, when it is sent.
 */
export function installAttemptDeadline(instance: AxiosInstance): void {
  instance.interceptors.request.use(
    (config: InternalAxiosRequestConfig) => {
      const controller = new AbortController();
      const deadline: AttemptDeadline = { controller, timer: undefined, expired: false };
      const timeoutMs = config.timeout;
      if (typeof timeoutMs === 'number' && timeoutMs > 0) {
        deadline.timer = setTimeout(() => {
          deadline.expired = true;
          controller.abort();
        }, timeoutMs);
        // Never what keeps a process alive: the socket of a sent request does that, and a
        // request refused after this point (the shutdown gate runs later) never reaches the
        // clearing side.
        deadline.timer.unref();
      }
      deadlines.set(config, deadline);
      const callerSignal = config.signal as AbortSignal | undefined;
      config.signal = (
        callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal
      ) as GenericAbortSignal;
      return config;
    },
    undefined,
    SYNC_INTERCEPTOR,
  );
  const clear = (config: object | undefined): void => {
    const deadline = config === undefined ? undefined : deadlines.get(config);
    if (deadline !== undefined) clearTimeout(deadline.timer);
  };
  instance.interceptors.response.use(
    (response) => {
      clear(response.config);
      return response;
    },
    (error: unknown) => {
      clear((error as { config?: object }).config);
      return Promise.reject(error);
    },
  );
}
