import axios, {
  isAxiosError,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import type { SecPaidApiKeyHolder } from '../options/api-key.holder.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import { SecPaidSecret } from '../core/secret.value.js';
import { SECPAID_PACKAGE_VERSION } from '../secpaid.constants.js';
import { SecPaidValidationError } from '../core/secpaid.errors.js';
import { assertValidApiKey } from '../validation/identifier.rules.js';
import {
  attemptOf,
  beginAttempt,
  type SecPaidAttemptSignal,
  endpointFromUrl,
  SYNC_INTERCEPTOR,
  requestApiKeyOf,
  serviceCallOf,
} from './secpaid-request.context.js';
import {
  isBudgetLane,
  isValidMaxWaitMs,
  LANE_RULE,
  MAX_WAIT_RULE,
} from '../validation/call-options.rule.js';
import { toSecPaidError } from './axios-error.mapper.js';
import { installBudget } from './budget/budget.interceptor.js';
import type { SecPaidBudget } from './budget/secpaid-budget.js';
import { shutdownError } from '../core/abort.util.js';
import { SecPaidCloseClock } from '../core/close.deadline.js';

/** One stage of the pipeline: installs its request and/or answer interceptors on the instance. */
type PipelineStage = (instance: AxiosInstance) => void;

/** What an instance's pipeline is built from, besides its options. */
export interface SecPaidPipelineParts {
  /** Refuses requests once the module closes and awaits the sent ones. */
  gate: SecPaidShutdownGate;
  /** The one budget of every key (in process or shared through Redis), `null` with `rateLimit: false`. */
  budget: SecPaidBudget | null;
  /** The instance's key, read as each request leaves (it may rotate). */
  keys: SecPaidApiKeyHolder;
}

/**
 * Creates an instance's axios instance: the one way to SecPaid for `SecPaidService`, raw
 * `@InjectSecPaidHttpService()` calls and the health check. Never the global axios, so another
 * module's HttpService never sees SecPaid's key and two registrations never share headers.
 *
 * The stages below are the whole pipeline, outermost first: a request passes them top to bottom
 * before it is sent, its answer or failure passes them bottom to top.
 */
export function createSecPaidPipeline(
  options: ResolvedSecPaidOptions,
  parts: SecPaidPipelineParts,
): AxiosInstance {
  const instance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    // Never follow redirects: SecPaid documents none, a 307/308 would replay a POST, and
    // follow-redirects forwards custom headers (our `token`) to the Location host. It also
    // skips the follow-redirects wrapper on every request (bench/: about 10% of client CPU).
    maxRedirects: 0,
    // The stage order below relies on it (axios' default today; pinned against a change).
    transitional: { legacyInterceptorReqResOrdering: true },
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'User-Agent': `nestjs-secpaid/${SECPAID_PACKAGE_VERSION}`,
    },
  });
  const stages: PipelineStage[] = [
    // 1. A raw call's own key, lane and wait bound are checked before it can take a slot of the
    //    budget (a service call's were checked with its other call options, before anything else).
    checkRawCallContext,
    // 2. Waits for a slot of the request key's budget, in its lane; a 429 pauses the key.
    (axiosInstance) => {
      if (parts.budget !== null) installBudget(axiosInstance, parts.budget);
    },
    // 3. Every failure becomes a secret-free SecPaidError (axios errors carry the `token`); the
    //    key's earlier values too, for answers to requests sent before a rotation.
    (axiosInstance) =>
      axiosInstance.interceptors.response.use(undefined, (error: unknown) =>
        Promise.reject(toSecPaidError(error, parts.keys.knownKeys())),
      ),
    // 4. Each attempt's one abort signal: `timeoutMs` from sending to the last byte (it starts
    //    after the wait), the caller's `signal`, and the end of the close grace (stage 6).
    installAttemptDeadline,
    // 5. The `token` header; caller headers (even one named `token`) can never replace it. The
    //    module's key is read here, as the request leaves, and a refusal of it (401/403) has
    //    its provider read again (key rotation).
    tokenStage(parts.keys),
    // 6. Nothing is sent once the module closes; sent requests are awaited on close.
    (axiosInstance) => parts.gate.install(axiosInstance),
  ];
  // axios runs request interceptors last-registered first and answer interceptors in the order
  // registered: installing the innermost stage first gives the order above, both ways.
  for (const stage of stages.reverse()) stage(instance);
  return instance;
}

function checkRawCallContext(instance: AxiosInstance): void {
  instance.interceptors.request.use(
    (config: InternalAxiosRequestConfig) => {
      const context = config.secpaid;
      if (context === undefined || serviceCallOf(config) !== undefined) return config;
      if (context.apiKey !== undefined)
        assertValidApiKey(SecPaidSecret.of(context.apiKey).reveal());
      const fail = (field: string, message: string): never => {
        throw new SecPaidValidationError([{ field, message }], endpointFromUrl(config.url));
      };
      if (context.lane !== undefined && !isBudgetLane(context.lane)) fail('lane', LANE_RULE);
      if (context.maxWaitMs !== undefined && !isValidMaxWaitMs(context.maxWaitMs)) {
        fail('maxWaitMs', MAX_WAIT_RULE);
      }
      return config;
    },
    undefined,
    SYNC_INTERCEPTOR,
  );
}

/**
 * Gives every sent request its own abort signal (`SecPaidAttemptSignal`), aborted by the first
 * of: its deadline (`config.timeout`), the caller's `signal`, and the end of the close grace
 * (the shutdown gate aborts the attempts it let through).
 *
 * The deadline bounds the whole attempt, from sending to the last byte of the answer. axios'
 * own `timeout` is a socket idle timeout: a server that sends its headers and then one byte
 * every 500 ms keeps the call pending without bound. Inside the rate-limit stage of the
 * pipeline, so it starts only once the call leaves the queue, when it is sent.
 */
function installAttemptDeadline(instance: AxiosInstance): void {
  instance.interceptors.request.use(
    (config: InternalAxiosRequestConfig) => {
      beginAttempt(config);
      return config;
    },
    undefined,
    SYNC_INTERCEPTOR,
  );
  whenSettled(instance, (config) => attemptOf(config)?.settle());
}

/** Runs `settled` with the config of every answer and every failure, and passes both on. */
function whenSettled(instance: AxiosInstance, settled: (config: object | undefined) => void): void {
  instance.interceptors.response.use(
    (response) => {
      settled(response.config);
      return response;
    },
    (error: unknown) => {
      settled((error as { config?: object }).config);
      return Promise.reject(error);
    },
  );
}

/**
 * Stamps the `token` header: the request's own key, or the module's current one. While a
 * provider read that a refusal started runs, a request with the module's key waits for it
 * rather than carry a key SecPaid just refused (only then is this stage asynchronous), so
 * nothing leaves with a key once the provider has returned a newer one. An answer refusing the
 * module's key (HTTP 401/403, the status of SecPaid's key check) has the provider read at once,
 * raw `@InjectSecPaidHttpService()` calls included; the request executor also sends its call
 * once more with the new key.
 */
function tokenStage(keys: SecPaidApiKeyHolder): PipelineStage {
  const noticeRefusal = (answer: AxiosResponse | undefined): void => {
    if (answer === undefined || (answer.status !== 401 && answer.status !== 403)) return;
    if (requestApiKeyOf(answer.config) !== undefined) return;
    const sent: unknown = answer.config.headers?.['token'];
    if (typeof sent === 'string') void keys.refused(sent);
  };
  return (instance) => {
    instance.interceptors.request.use(
      (config: InternalAxiosRequestConfig) => {
        // The one place a per-call key is revealed: onto the wire. AxiosHeaders.set is
        // case-insensitive: this replaces `Token`, `TOKEN`, ... as well.
        const override = requestApiKeyOf(config);
        const key = override === undefined ? keys.current() : SecPaidSecret.of(override).reveal();
        config.headers.set('token', key, true);
        return config;
      },
      undefined,
      SYNC_INTERCEPTOR,
    );
    // Registered after the stamp, so axios runs it first; axios asks `runWhen` as the request
    // starts, and only a request that finds a refusal read running pays for a promise.
    instance.interceptors.request.use(
      async (config: InternalAxiosRequestConfig) => {
        await keys.refusalRead();
        return config;
      },
      undefined,
      {
        runWhen: (config) =>
          keys.refusalRead() !== undefined && requestApiKeyOf(config) === undefined,
      },
    );
    instance.interceptors.response.use(
      (answer) => {
        noticeRefusal(answer);
        return answer;
      },
      (error: unknown) => {
        if (isAxiosError(error)) noticeRefusal(error.response);
        return Promise.reject(error);
      },
    );
  };
}

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
   * The abort signals of the requests sent and not settled (stage 4, the attempt deadline),
   * aborted once the close grace is over.
   */
  private readonly attempts = new Set<SecPaidAttemptSignal>();
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
        const attempt = attemptOf(config);
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
      const attempt = attemptOf(marked);
      if (attempt !== undefined) this.attempts.delete(attempt);
      if (--this.inFlight === 0) this.resolveIdle?.();
    };
    whenSettled(instance, finish);
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
        for (const attempt of this.attempts) attempt.abort();
        this.attempts.clear();
      },
    );
  }

  /** Nest's destroy hook. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}
