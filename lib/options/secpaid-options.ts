import type { SecPaidSecret } from '../core/secret.value.js';
import type { SecPaidEnvironment } from '../secpaid.constants.js';
import type { ResolvedSecPaidRedisOptions, SecPaidRedisOptions } from './secpaid-redis.options.js';
import type {
  SecPaidWebhookDedupeStore,
  SecPaidPendingPaymentStore,
} from './webhook-store.contracts.js';
import type { SecPaidApiKeyProvider } from './api-key.holder.js';

/**
 * The API key's budget: calls wait their turn (by lane) instead of letting SecPaid answer 429.
 * With `redis`, one budget per key for every replica (docs/replicas.md).
 */
export interface SecPaidRateLimitOptions {
  /** Requests allowed per rolling minute. SecPaid's documented limit is 60. */
  requestsPerMinute: number;
  /**
   * Most calls that may wait for a slot, per API key (default 1000; with `redis`, counted across
   * every replica of the key); one more rejects at once with `SecPaidRateLimitError`
   * (`clientSide`), so a flood cannot grow memory or latency without bound.
   */
  maxQueue?: number;
  /**
   * Default longest wait for a slot, in ms, for calls that give no `maxWaitMs` of their own
   * (default none: a call waits its turn). A call whose expected wait is longer is refused at
   * once with `SecPaidRateLimitError` (`clientSide`, `retryAfterMs` = the expected wait).
   */
  maxWaitMs?: number;
}

/** Options of `SecPaidHealthIndicator`. */
export interface SecPaidHealthOptions {
  /** How long a check result is reused, in ms (default 30000). */
  cacheTtlMs?: number;
  /** Upper bound of one check, in ms (default 3000). */
  timeoutMs?: number;
}

/** Options of the webhook receiver; setting them mounts `POST /<path>`. */
export interface SecPaidWebhookOptions {
  /** Route of the receiver (default `secpaid/webhook`). */
  path?: string;
  /** The 32-character AES-256-CBC `EncryptionKey`; when set, unencrypted bodies are rejected. */
  encryptionKey?: string;
  /** Dispatch `payment.succeeded` only once the API shows the payment (default true). */
  confirmPayments?: boolean;
  /**
   * Where dispatched events are remembered to drop duplicates (default: in memory, this process).
   * Pass a shared store (Redis, a database) when several instances receive webhooks.
   */
  dedupeStore?: SecPaidWebhookDedupeStore;
  /**
   * Ceiling of `getPayInTransactions` calls per minute spent on confirming webhooks, whatever
   * their rate (default 12 of SecPaid's 60; the rest stays with your calls and the probe): the
   * cap of the budget's `confirmation` lane, for all replicas of the key together with `redis`.
   */
  confirmCallsPerMinute?: number;
  /**
   * How long a `payment.succeeded` the API does not show yet is re-checked in the background,
   * in ms (default 30 minutes); then `payment.unconfirmed` is reported.
   */
  pendingPeriodMs?: number;
  /**
   * Most pending payments kept at once, counted apart for links this app created and for other
   * pay ids (default 10000 each). A full store answers 503 (the sender delivers again) and never
   * drops a payment it holds, so a flood of forged ids cannot push a genuine one out.
   */
  maxPending?: number;
  /** Where pending payments wait (default: in memory, this process). */
  pendingStore?: SecPaidPendingPaymentStore;
}

/**
 * Options of `SecPaidModule.forRoot()` / `forRootAsync()`.
 * @publicApi
 */
export interface SecPaidModuleOptions {
  /**
   * The API key, sent as the `token` header; or a function returning it (or a promise of it),
   * read at start-up, every `apiKeyRefreshMs`, and at once when SecPaid refuses the key
   * (README "Rotating the API key").
   */
  apiKey: string | SecPaidApiKeyProvider;
  /**
   * With `apiKey` a function: how often it is read again, in ms (default 300000, 5 minutes);
   * 0 reads it again only when SecPaid refuses the key.
   */
  apiKeyRefreshMs?: number;
  /** Which SecPaid environment the key belongs to. There is no default on purpose. */
  environment: SecPaidEnvironment;
  /**
   * Origin to call instead of the environment's (e.g. a `SecPaidMockServer`'s `baseUrl`).
   * `http:` is accepted for loopback hosts only.
   */
  baseUrl?: string;
  /** Timeout of one attempt, in ms (default 10000). */
  timeoutMs?: number;
  /** Retries where the endpoint's safety class allows them (default 2). */
  maxRetries?: number;
  /** Client-side limiter (default 60 requests per minute); `false` disables it. */
  rateLimit?: SecPaidRateLimitOptions | false;
  /** Verify the key at bootstrap and fail start-up when it is rejected (default false). */
  validateApiKeyOnStartup?: boolean;
  /** Health indicator settings. */
  health?: SecPaidHealthOptions;
  /** Webhook receiver settings; off when absent. */
  webhooks?: SecPaidWebhookOptions;
  /**
   * Share the rate budget, `Retry-After` pauses, webhook claims and the readiness cache with
   * every replica using the same API key (README "Several replicas"); off when absent.
   */
  redis?: SecPaidRedisOptions;
}

/**
 * The options after validation, with every default applied. Secrets (the API key, the webhook
 * encryption key, the Redis URL and client) are held as `SecPaidSecret`: printing or
 * serialising the options shows `[REDACTED]` in their place.
 */
export interface ResolvedSecPaidOptions {
  /**
   * Where the key comes from: the key (held as a secret) or its provider; read it only through
   * the instance's `SecPaidApiKeyHolder` (SECPAID_API_KEY), which knows the current key.
   */
  apiKeySource: SecPaidSecret | SecPaidApiKeyProvider;
  /** 0 with a string key. */
  apiKeyRefreshMs: number;
  environment: SecPaidEnvironment;
  /** Origin without a trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  rateLimit:
    (Required<Omit<SecPaidRateLimitOptions, 'maxWaitMs'>> & { maxWaitMs?: number }) | false;
  validateApiKeyOnStartup: boolean;
  health: Required<SecPaidHealthOptions>;
  webhooks:
    | (Required<Omit<SecPaidWebhookOptions, 'encryptionKey' | 'dedupeStore' | 'pendingStore'>> &
        Pick<SecPaidWebhookOptions, 'dedupeStore' | 'pendingStore'> & {
          encryptionKey?: SecPaidSecret;
        })
    | false;
  redis: ResolvedSecPaidRedisOptions | false;
}

/** Defaults of the optional settings, as documented in the README. */
export const SECPAID_DEFAULTS = {
  /**
   * A refused key is read again at once, so this period only bounds how long a replica keeps
   * an old key that still works, and what the secret store is asked (12 reads an hour).
   */
  apiKeyRefreshMs: 5 * 60 * 1000,
  timeoutMs: 10_000,
  maxRetries: 2,
  rateLimit: { requestsPerMinute: 60, maxQueue: 1000 },
  validateApiKeyOnStartup: false,
  health: { cacheTtlMs: 30_000, timeoutMs: 3_000 },
  webhooks: {
    path: 'secpaid/webhook',
    confirmPayments: true,
    confirmCallsPerMinute: 12,
    pendingPeriodMs: 30 * 60 * 1000,
    maxPending: 10_000,
  },
} as const;
