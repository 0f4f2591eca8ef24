/** Package version, sent in the `User-Agent` header (a test keeps it equal to package.json). */
export const SECPAID_PACKAGE_VERSION = '0.1.0';

/** The two SecPaid environments; each has its own API keys. */
export const SECPAID_ENVIRONMENTS = ['production', 'development'] as const;

/** A SecPaid environment. A key of one environment is rejected by the other. */
export type SecPaidEnvironment = (typeof SECPAID_ENVIRONMENTS)[number];

/** Origins of the two environments; the client appends `/api/v2/<endpoint>`. */
export const SECPAID_BASE_URLS: Readonly<Record<SecPaidEnvironment, string>> = {
  production: 'https://app.secpaid.com',
  development: 'https://app.dev.secpaid.com',
};

/** Path prefix of every v2 endpoint. */
export const SECPAID_API_PREFIX = '/api/v2/';

// Every token is a `Symbol.for` (a process-wide registry key), so the ESM build and the CommonJS
// build (dist/cjs) agree on it when an app loads both.

/** Injection token of the module's own configured HttpService (internal; use the decorator). */
export const SECPAID_HTTP_SERVICE = Symbol.for('nestjs-secpaid:http-service');

/** Injection token of a registration's `SecPaidApiKeyHolder`: the key to send now (internal). */
export const SECPAID_API_KEY = Symbol.for('nestjs-secpaid:api-key');

/** Injection token of the validated options with every default applied (internal). */
export const SECPAID_RESOLVED_OPTIONS = Symbol.for('nestjs-secpaid:resolved-options');

/**
 * Name of the instance registered without `name`. `forRoot({ name: 'default' })` is the same
 * registration as `forRoot({})`.
 * @publicApi
 */
export const SECPAID_DEFAULT_INSTANCE = 'default';

/**
 * Injection token of an instance name (internal): read by a `SecPaidWebhookDispatcher` that an
 * app provides on its own; a registration builds its dispatcher with its name instead.
 */
export const SECPAID_INSTANCE_NAME = Symbol.for('nestjs-secpaid:instance-name');

/** Injection token of a registration's `SecPaidInstance` handle (internal). */
export const SECPAID_INSTANCE = Symbol.for('nestjs-secpaid:instance');

// Webhooks: limits, messages, internal tokens and tunables of the receiver.

/** Largest body the receiver reads. Real SecPaid webhooks are a few hundred bytes. */
export const SECPAID_WEBHOOK_MAX_BODY_BYTES = 64 * 1024;

/** The one message of every rejected webhook; details would help an attacker, not a sender. */
export const SECPAID_WEBHOOK_INVALID_MESSAGE = 'Invalid SecPaid webhook';

/** 415 answer to a body with a `Content-Encoding` or a charset other than UTF-8 (not decoded). */
export const SECPAID_WEBHOOK_UNSUPPORTED_MESSAGE =
  'SecPaid webhooks are read as uncompressed UTF-8: no Content-Encoding, charset utf-8 or none';

/** 409 answer while another delivery of the same event is being processed (sender retries). */
export const SECPAID_WEBHOOK_IN_PROGRESS_MESSAGE = 'SecPaid webhook is already being processed';

/** Metadata key of `@SecPaidWebhookHandler` (internal). */
export const SECPAID_WEBHOOK_HANDLER_METADATA = 'nestjs-secpaid:webhook-handler';

/** Injection token of the duplicate store (internal). */
export const SECPAID_WEBHOOK_DEDUPE_STORE = Symbol.for('nestjs-secpaid:webhook-dedupe-store');

/** Injection token of the webhook receiver's tunables (internal; tests shorten the delays). */
export const SECPAID_WEBHOOK_TUNING = Symbol.for('nestjs-secpaid:webhook-tuning');

/** Internal tunables of the webhook receiver. */
export interface SecPaidWebhookTuning {
  /**
   * Waits before each inline re-check of a payment the API does not show yet, in ms, while the
   * webhook request is open. The initial look-up is immediate; the list's length bounds them.
   */
  confirmRetryDelaysMs: readonly number[];
  /** Longest a webhook request waits for confirmation before it is kept as pending, in ms. */
  inlineConfirmMs: number;
  /** How long a dispatched event is remembered as a duplicate, in ms. */
  dedupeTtlMs: number;
  /** First background re-check of a pending payment, in ms after it arrived; then doubled. */
  firstRecheckMs: number;
  /** Longest wait between two background re-checks, in ms. */
  maxRecheckMs: number;
  /** Page size of the shared newest-first list call (SecPaid's default 200, max 1000). */
  confirmListLimit: number;
  /**
   * How long a claim of an event being processed holds, in ms (default 2 minutes): longer than
   * any handler should run, short enough that an event whose replica died mid-handler is
   * processed by a redelivery soon.
   */
  claimTtlMs?: number;
}

/** Default of `SecPaidWebhookTuning.claimTtlMs`. */
export const SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS = 2 * 60_000;

/**
 * Default tunables: 3 inline re-checks within about 5 seconds; background re-checks after 5 s,
 * 10 s, 20 s ... then every 2 minutes; duplicates remembered for 24 hours.
 */
export const SECPAID_WEBHOOK_DEFAULT_TUNING: SecPaidWebhookTuning = {
  confirmRetryDelaysMs: [500, 1_500, 3_000],
  inlineConfirmMs: 5_000,
  dedupeTtlMs: 24 * 60 * 60 * 1000,
  firstRecheckMs: 5_000,
  maxRecheckMs: 2 * 60 * 1000,
  confirmListLimit: 200,
  claimTtlMs: SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS,
};

/** Injection token of the pending-payment store (internal). */
export const SECPAID_WEBHOOK_PENDING_STORE = Symbol.for('nestjs-secpaid:webhook-pending-store');

/** Injection token of the mounted webhook route, `false` when webhooks are off (internal). */
export const SECPAID_WEBHOOK_ROUTE = Symbol.for('nestjs-secpaid:webhook-route');

/**
 * Injection token of a registration's confirmation lane (`SecPaidConfirmationLane`: the
 * budgeted pay-in lookups webhook confirmations and `verifyCallback` share; internal).
 */
export const SECPAID_CONFIRMATION_LANE = Symbol.for('nestjs-secpaid:confirmation-lane');

/** Injection token of a registration's ledger of the links it created (internal). */
export const SECPAID_CREATED_LINKS = Symbol.for('nestjs-secpaid:created-links');

// Internal injection tokens of one registration (each a `Symbol.for`, like those above).

/**
 * Injection token of the registration's `SecPaidRedisCoordinator`, or `null` without the
 * `redis` option (internal; shared features inject it and fall back when it is `null`).
 */
export const SECPAID_REDIS = Symbol.for('nestjs-secpaid:redis');

/** Injection token of the module's telemetry (internal). */
export const SECPAID_TELEMETRY = Symbol.for('nestjs-secpaid:telemetry');

/** Injection token of the module's retry policy (internal; tests override it to shorten delays). */
export const SECPAID_RETRY_POLICY = Symbol.for('nestjs-secpaid:retry-policy');

/**
 * Injection token of the registration's `SecPaidBudget` (lib/http/budget/), or `null` with
 * `rateLimit: false` (internal).
 */
export const SECPAID_BUDGET = Symbol.for('nestjs-secpaid:budget');

/**
 * Injection token of the budget's window, `SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS` (internal;
 * multi-process tests shrink SecPaid's minute to seconds with it).
 */
export const SECPAID_RATE_LIMIT_WINDOW_MS = Symbol.for('nestjs-secpaid:rate-limit-window-ms');

/**
 * The budget's window: SecPaid's minute plus 1 s. SecPaid's minute starts when our first call
 * *arrives*, a little after we let it go, so a call released at exactly start + 60 s could land
 * inside that minute and earn a 429 (bench/ showed it); 1 s covers connect and transit time,
 * and the late answer of a Redis grant (bounded by `redis.commandTimeoutMs`, 500 ms).
 */
export const SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS = 61_000;

/**
 * The lanes of the budget, in priority order (docs/replicas.md "Lanes"): `interactive` (the
 * default), `confirmation` (webhook lookups and pending re-checks, capped by
 * `webhooks.confirmCallsPerMinute`) and `background` (paginators, an app's batch jobs).
 */
export const SECPAID_BUDGET_LANES = ['interactive', 'confirmation', 'background'] as const;

/**
 * Which lane of the API key's budget a call waits in when the budget is spent.
 * @publicApi
 */
export type SecPaidBudgetLane = (typeof SECPAID_BUDGET_LANES)[number];

/** Injection token of the module's shutdown gate (internal). */
export const SECPAID_SHUTDOWN_GATE = Symbol.for('nestjs-secpaid:shutdown-gate');
