import type { AxiosInstance, GenericAbortSignal, InternalAxiosRequestConfig } from 'axios';
import { SYNC_INTERCEPTOR } from './secpaid-request.context.js';

/** What one sent request holds until it settles: its deadline and the links to its signal. */
interface AttemptDeadline {
  timer: ReturnType<typeof setTimeout> | undefined;
  expired: boolean;
  /** Removes the listeners the attempt's controller put on the caller's and the gate's signals. */
  unlink: () => void;
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
 * Gives every sent request one abort signal of its own, aborted by the first of: its deadline
 * (`config.timeout`), the caller's `signal`, and `destroying` (the shutdown gate's end of the
 * close grace). One controller and plain listeners, not `AbortSignal.any`, which costs about
 * four times as much per request and keeps a weak reference for every source.
 *
 * The deadline bounds the whole attempt, from sending to the last byte of the answer. axios'
 * own `timeout` is a socket idle timeout: a server that sends its headers and then one byte
 * every 500 ms keeps the call pending without bound. Inside the rate-limit stage of the
 * pipeline, so it starts only once the call leaves the queue, when it is sent.
 */
export function installAttemptDeadline(instance: AxiosInstance, destroying: AbortSignal): void {
  instance.interceptors.request.use(
    (config: InternalAxiosRequestConfig) => {
      const controller = new AbortController();
      const callerSignal = config.signal as AbortSignal | undefined;
      const abort = (): void => controller.abort();
      const deadline: AttemptDeadline = {
        timer: undefined,
        expired: false,
        unlink: () => {
          callerSignal?.removeEventListener('abort', abort);
          destroying.removeEventListener('abort', abort);
        },
      };
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
      if (callerSignal?.aborted === true || destroying.aborted) controller.abort();
      else {
        callerSignal?.addEventListener('abort', abort, { once: true });
        destroying.addEventListener('abort', abort, { once: true });
      }
      deadlines.set(config, deadline);
      config.signal = controller.signal as GenericAbortSignal;
      return config;
    },
    undefined,
    SYNC_INTERCEPTOR,
  );
  const clear = (config: object | undefined): void => {
    const deadline = config === undefined ? undefined : deadlines.get(config);
    if (deadline === undefined) return;
    clearTimeout(deadline.timer);
    deadline.unlink();
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
