import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { shutdownError } from '../core/abort.util.js';
import { endpointFromUrl } from './endpoint-name.util.js';
import { SYNC_INTERCEPTOR } from './secpaid-request.context.js';

/**
 * Ends the module's HTTP traffic when the module is destroyed (`app.close()`):
 * - requests started afterwards are refused before anything is sent (`ABORT_ERR`), whether they
 *   come from the service, a retry that was waiting, or a raw `@InjectSecPaidHttpService()` call;
 * - `closing` aborts what merely waits (retry backoff), so no timer outlives the module;
 * - calls already sent are awaited, not aborted: each is bounded by its `timeoutMs` deadline,
 *   and aborting a create in flight would leave the caller unsure whether the link exists.
 * The rate limiter rejects its own waiting calls in its destroy hook.
 */
export class SecPaidShutdownGate {
  private readonly controller = new AbortController();
  /** Requests sent and not settled yet (a count and a set: no promise per request). */
  private readonly sent = new WeakSet<object>();
  private inFlight = 0;
  /** Resolves when the last sent request settles, once `close()` waits for it. */
  private idle: Promise<void> | undefined;
  private resolveIdle: (() => void) | undefined;

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
        this.sent.add(config);
        this.inFlight++;
        return config;
      },
      undefined,
      SYNC_INTERCEPTOR,
    );
    const finish = (config: object | undefined): void => {
      if (config === undefined || !this.sent.delete(config)) return;
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

  /** Refuses new requests, aborts waiting ones, and resolves once every sent request settled. */
  async close(): Promise<void> {
    this.controller.abort(shutdownError('call'));
    if (this.inFlight === 0) return;
    this.idle ??= new Promise<void>((resolve) => (this.resolveIdle = resolve));
    await this.idle;
  }

  /** Nest's destroy hook. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}
