import { SecPaidConfigurationError } from '../core/secpaid.errors.js';
import type { SecPaidValidationIssue } from '../core/secpaid.errors.js';
import { SecPaidSecret } from '../core/secret.value.js';
import { SECPAID_BASE_URLS, type SecPaidEnvironment } from '../secpaid.constants.js';
import {
  printableKey,
  snapshotKnownFields,
  collectValidationIssues,
} from '../validation/validate-input.util.js';
import {
  SECPAID_DEFAULTS,
  type ResolvedSecPaidOptions,
  type SecPaidModuleOptions,
  type SecPaidWebhookOptions,
} from './secpaid-options.js';
import {
  HealthSchema,
  RateLimitSchema,
  SecPaidOptionsSchema,
  WebhooksSchema,
} from './secpaid-options.schema.js';
import { RedisSchema, resolveRedisOptions } from './secpaid-redis-options.schema.js';
import { secpaidVariableOf } from './secpaid-options.config.js';

const NESTED = {
  rateLimit: RateLimitSchema,
  health: HealthSchema,
  webhooks: WebhooksSchema,
  redis: RedisSchema,
} as const;

/**
 * Validates module options and applies the defaults. Throws one `SecPaidConfigurationError`
 * naming every bad field, and every unknown key (`ratelimit` for `rateLimit` would otherwise
 * boot with the default silently); option values (the key above all) never appear in it. The
 * options are read once, own known fields only. `instance` (the registration's name) is named in
 * the message, and each field that `secpaidConfig`/`secpaidConfigFor` reads from the environment
 * names its variable, so a missing `SECPAID_MERCHANT_B_API_KEY` says so.
 */
export function resolveSecPaidOptions(
  options: SecPaidModuleOptions,
  instance = 'default',
): ResolvedSecPaidOptions {
  const invalid = (issues: SecPaidValidationIssue[]) =>
    new SecPaidConfigurationError(
      issues.map((issue) => {
        const variable = secpaidVariableOf(issue.field, instance);
        return variable ? { ...issue, message: `${issue.message} (${variable})` } : issue;
      }),
      instance,
    );
  if (options === null || typeof options !== 'object') {
    throw invalid([{ field: 'options', message: 'must be an object' }]);
  }
  let schema: SecPaidOptionsSchema;
  let shapeIssues: SecPaidValidationIssue[];
  try {
    ({ schema, shapeIssues } = toSchema(options));
  } catch (error) {
    if (error instanceof SecPaidConfigurationError) throw invalid(error.issues);
    throw invalid([{ field: 'options', message: 'could not be read (a getter or Proxy threw)' }]);
  }
  const issues = [...shapeIssues, ...misplacedName(options), ...collectValidationIssues(schema)];
  if (issues.length > 0) throw invalid(issues);

  const environment = schema.environment as SecPaidEnvironment;
  const { rateLimit, health, webhooks } = schema;
  const rotates = typeof schema.apiKey === 'function';
  return {
    apiKeySource:
      typeof schema.apiKey === 'function' ? schema.apiKey : SecPaidSecret.of(schema.apiKey),
    apiKeyRefreshMs: rotates ? (schema.apiKeyRefreshMs ?? SECPAID_DEFAULTS.apiKeyRefreshMs) : 0,
    environment,
    baseUrl: (schema.baseUrl ?? SECPAID_BASE_URLS[environment]).replace(/\/+$/, ''),
    timeoutMs: schema.timeoutMs ?? SECPAID_DEFAULTS.timeoutMs,
    maxRetries: schema.maxRetries ?? SECPAID_DEFAULTS.maxRetries,
    rateLimit:
      rateLimit === false
        ? false
        : {
            requestsPerMinute:
              rateLimit?.requestsPerMinute ?? SECPAID_DEFAULTS.rateLimit.requestsPerMinute,
            maxQueue: rateLimit?.maxQueue ?? SECPAID_DEFAULTS.rateLimit.maxQueue,
            ...(rateLimit?.maxWaitMs === undefined ? {} : { maxWaitMs: rateLimit.maxWaitMs }),
          },
    validateApiKeyOnStartup:
      schema.validateApiKeyOnStartup ?? SECPAID_DEFAULTS.validateApiKeyOnStartup,
    health: { ...SECPAID_DEFAULTS.health, ...definedOnly(health) },
    webhooks: webhooks ? resolveWebhooks(webhooks as SecPaidWebhookOptions) : false,
    redis: schema.redis
      ? resolveRedisOptions(schema.redis as SecPaidModuleOptions['redis'] & object)
      : false,
  };
}

function resolveWebhooks(webhooks: SecPaidWebhookOptions): ResolvedSecPaidOptions['webhooks'] {
  const { encryptionKey, ...rest } = definedOnly(webhooks);
  return {
    ...SECPAID_DEFAULTS.webhooks,
    ...rest,
    ...(encryptionKey === undefined ? {} : { encryptionKey: SecPaidSecret.of(encryptionKey) }),
  };
}

/**
 * Copies the own known options into decorated instances (nested ones too); unknown keys and
 * nested values that are not objects are issues.
 */
function toSchema(options: SecPaidModuleOptions): {
  schema: SecPaidOptionsSchema;
  shapeIssues: SecPaidValidationIssue[];
} {
  const top = snapshotKnownFields(SecPaidOptionsSchema, options, { deep: false });
  const schema = top.instance;
  const shapeIssues = unknownKeyIssues(top.unknownKeys, '');
  for (const [field, Schema] of Object.entries(NESTED)) {
    const fields = schema as unknown as Record<string, unknown>;
    const value = fields[field];
    if (value === undefined || (field === 'rateLimit' && value === false)) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const alternative = field === 'rateLimit' ? 'false or an object' : 'an object';
      shapeIssues.push({ field, message: `must be ${alternative}` });
      fields[field] = undefined;
      continue;
    }
    const nested = snapshotKnownFields<object>(Schema, value, { deep: false });
    shapeIssues.push(...unknownKeyIssues(nested.unknownKeys, `${field}.`));
    fields[field] = nested.instance;
  }
  return { schema, shapeIssues };
}

function unknownKeyIssues(keys: string[], prefix: string): SecPaidValidationIssue[] {
  // A top-level `name` is reported by misplacedName, with the place it belongs.
  const unknown = prefix === '' ? keys.filter((key) => key !== 'name') : keys;
  return unknown.map((key) => ({
    field: prefix + printableKey(key),
    message: 'is not a known option',
  }));
}

/**
 * `name` chooses the instance, so it must be known before the options are: a factory that
 * returns it would silently configure the default instance.
 */
function misplacedName(options: SecPaidModuleOptions): SecPaidValidationIssue[] {
  return Object.hasOwn(options, 'name')
    ? [
        {
          field: 'name',
          message:
            'belongs next to useFactory/useClass/useExisting in forRootAsync({ name, ... }), not in the options it returns',
        },
      ]
    : [];
}

/** The fields that were given (a fresh object: no prototype, no instance fields left undefined). */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
