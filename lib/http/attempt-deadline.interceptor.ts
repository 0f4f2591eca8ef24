import type { AxiosInstance, GenericAbortSignal, InternalAxiosRequestConfig } from 'axios';
import { SYNC_INTERCEPTOR } from './secpaid-request.context.js';

/** The deadline armed for one sent request. */
interface AttemptDeadline {
  timer: ReturnType<typeof setTimeout>;
  expired: boolean;
}

const deadlines = new WeakMap<object, AttemptDeadline>();

/**
 * True when this request config's whole-attempt deadline fired: the resulting cancel is a
 * timeout, not a caller's abort.
 */
export function attemptDeadlineExpired(config: object | undefined): boolean {
  return config !== undefined && deadlines.get(config)?.expired === true;
}

/**
 * Makes `config.timeout` a deadline for the whole attempt, from sending to the last byte of the
 * answer. axios' own `timeout` is a socket idle timeout: a server that sends its headers and
 * then one byte every 500 ms keeps the call pending without bound. Inside the rate-limit stage
 * of the pipeline, so it starts only once the call leaves the queue, when it is sent.
 */
export function installAttemptDeadline(instance: AxiosInstance): void {
  instance.interceptors.request.use(
    (config: InternalAxiosRequestConfig) => {
      const timeoutMs = config.timeout;
      if (typeof timeoutMs !== 'number' || timeoutMs <= 0) return config;
      const controller = new AbortController();
      const deadline: AttemptDeadline = {
        expired: false,
        timer: setTimeout(() => {
          deadline.expired = true;
          controller.abort();
        }, timeoutMs),
      };
      // Never what keeps a process alive: the socket of a sent request does that, and a
      // request refused after this point (the shutdown gate runs later) never reaches the
      // clearing side.
      deadline.timer.unref();
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
