import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { shutdownError } from '../core/abort.util.js';
import { SecPaidCloseClock } from '../core/close.deadline.js';
import { attemptControllerOf } from './attempt-deadline.interceptor.js';
import { endpointFromUrl, SYNC_INTERCEPTOR } from './secpaid-request.context.js';

/**
 * Marks a sent request's own config until it settles. A mark on the config, not a set of the
 * gate: the gate never holds a request config (its headers carry the key being sent), so no
 * printed form of the gate can show one.
 */
const SENT = Symbol('nestjs-secpaid:sent');
type MarkedConfig = { [SENT]?: true };

/**
 * Ends the module's HTTP traffic when the module is destroyed (`app.close()`):
 * - requests started afterwards are refused before anything is sent (`ABORT_ERR`), whether they
 *   come from the service, a retry that was waiting, or a raw `@InjectSecPaidHttpService()` call;
 * - `closing` aborts what merely waits (retry backoff), so no timer outlives the module;
 * - calls already sent are awaited first (aborting a create in flight leaves the caller unsure
 *   whether the link exists), for what is left of the registration's close grace
 *   (`SecPaidCloseClock`, 2 s); then they are aborted (`ABORT_ERR`,
 *   `requestMayHaveReachedServer: true`), so a SecPaid that never answers cannot hold
 *   `app.close()` for a whole `timeoutMs`.
 * The rate limiter rejects its own waiting calls in its destroy hook.
 */
export class SecPaidShutdownGate {
  private readonly controller = new AbortController();
  /**
   * The abort controllers of the requests sent and not settled (attempt-deadline.interceptor.ts),
   * aborted once the close grace is over. A set, not one shared signal every request listens
   * to: a signal with more than 10 listeners has Node warn of a leak.
   */
  private readonly attempts = new Set<AbortController>();
  /** Requests sent and not settled yet (a count: no promise per request). */
  private inFlight = 0;
  /** Resolves when the last sent request settles, once `close()` waits for it. */
  private idle: Promise<void> | undefined;
  private resolveIdle: (() => void) | undefined;

  constructor(private readonly clock = new SecPaidCloseClock()) {}

  /** Aborts when the module is being destroyed. */
  get closing(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Installs the gate on `instance`: the innermost stage of the pipeline, so it runs right
   * before sending (after any limiter wait) and sees axios' errors first (they carry the config).
   */
  install(instance: AxiosInstance): void {
    instance.interceptors.request.use(
      (config: InternalAxiosRequestConfig) => {
        if (this.controller.signal.aborted) throw shutdownError(endpointFromUrl(config.url));
        (config as MarkedConfig)[SENT] = true;
        this.inFlight++;
        const attempt = attemptControllerOf(config);
        if (attempt !== undefined) this.attempts.add(attempt);
        return config;
      },
      undefined,
      SYNC_INTERCEPTOR,
    );
    const finish = (config: object | undefined): void => {
      const marked = config as MarkedConfig | undefined;
      if (marked?.[SENT] !== true) return;
      delete marked[SENT];
      const attempt = attemptControllerOf(marked);
      if (attempt !== undefined) this.attempts.delete(attempt);
      if (--this.inFlight === 0) this.resolveIdle?.();
    };
    instance.interceptors.response.use(
      (response) => {
        finish(response.config);
        return response;
      },
      (error: unknown) => {
        finish((error as { config?: object }).config);
        return Promise.reject(error);
      },
    );
  }

  /**
   * Refuses new requests, aborts waiting ones, and resolves once every sent request settled,
   * or aborts those still in flight when the registration's close grace is over.
   */
  async close(): Promise<void> {
    this.controller.abort(shutdownError('call'));
    if (this.inFlight === 0) return;
    this.idle ??= new Promise<void>((resolve) => (this.resolveIdle = resolve));
    const idle = this.idle;
    await this.clock.close(
      () => idle,
      () => {
        for (const attempt of this.attempts) attempt.abort(shutdownError('call'));
        this.attempts.clear();
      },
    );
  }

  /** Nest's destroy hook. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}
