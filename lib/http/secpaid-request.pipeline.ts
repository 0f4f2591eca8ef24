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
import { installAttemptDeadline } from './attempt-deadline.interceptor.js';
import { toSecPaidError } from './axios-error.mapper.js';
import { installBudget } from './budget/budget.interceptor.js';
import type { SecPaidBudget } from './budget/secpaid-budget.js';
import type { SecPaidShutdownGate } from './shutdown.gate.js';

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
