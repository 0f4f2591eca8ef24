import { SecPaidConfigurationError } from '../errors/secpaid-configuration.error.js';
import type { SecPaidValidationIssue } from '../errors/secpaid-validation.error.js';
import { SECPAID_BASE_URLS, type SecPaidEnvironment } from '../secpaid.constants.js';
import {
  SECPAID_DEFAULTS,
  type ResolvedSecPaidOptions,
  type SecPaidModuleOptions,
} from './secpaid-options.js';
import {
  HealthSchema,
  RateLimitSchema,
  SecPaidOptionsSchema,
  WebhooksSchema,
} from './secpaid-options.schema.js';
import { collectValidationIssues } from '../validation/validation-issues.util.js';
import { RedisSchema, resolveRedisOptions } from '../redis/secpaid-redis-options.schema.js';

const NESTED = {
  rateLimit: RateLimitSchema,
  health: HealthSchema,
  webhooks: WebhooksSchema,
  redis: RedisSchema,
} as const;

/**
 * Validates module options and applies the defaults. Throws one `SecPaidConfigurationError`
 * naming every bad field; option values (the key above all) never appear in it.
 */
export function resolveSecPaidOptions(options: SecPaidModuleOptions): ResolvedSecPaidOptions {
  if (options === null || typeof options !== 'object') {
    throw new SecPaidConfigurationError([{ field: 'options', message: 'must be an object' }]);
  }
  const { schema, shapeIssues } = toSchema(options);
  const issues = [...shapeIssues, ...misplacedName(options), ...collectValidationIssues(schema)];
  if (issues.length > 0) throw new SecPaidConfigurationError(issues);

  const environment = options.environment as SecPaidEnvironment;
  return {
    apiKey: options.apiKey,
    environment,
    baseUrl: (options.baseUrl ?? SECPAID_BASE_URLS[environment]).replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? SECPAID_DEFAULTS.timeoutMs,
    maxRetries: options.maxRetries ?? SECPAID_DEFAULTS.maxRetries,
    rateLimit:
      options.rateLimit === false
        ? false
        : { requestsPerMinute: options.rateLimit?.requestsPerMinute ?? 60 },
    validateApiKeyOnStartup:
      options.validateApiKeyOnStartup ?? SECPAID_DEFAULTS.validateApiKeyOnStartup,
    health: { ...SECPAID_DEFAULTS.health, ...definedOnly(options.health) },
    webhooks: options.webhooks
      ? { ...SECPAID_DEFAULTS.webhooks, ...definedOnly(options.webhooks) }
      : false,
    redis: options.redis ? resolveRedisOptions(options.redis) : false,
  };
}

/** Copies the options into decorated instances; nested values that are not objects are issues. */
function toSchema(options: SecPaidModuleOptions): {
  schema: SecPaidOptionsSchema;
  shapeIssues: SecPaidValidationIssue[];
} {
  const schema = Object.assign(new SecPaidOptionsSchema(), options);
  const shapeIssues: SecPaidValidationIssue[] = [];
  for (const [field, Schema] of Object.entries(NESTED)) {
    const value: unknown = (options as unknown as Record<string, unknown>)[field];
    if (value === undefined || (field === 'rateLimit' && value === false)) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const alternative = field === 'rateLimit' ? 'false or an object' : 'an object';
      shapeIssues.push({ field, message: `must be ${alternative}` });
      (schema as unknown as Record<string, unknown>)[field] = undefined;
      continue;
    }
    (schema as unknown as Record<string, unknown>)[field] = Object.assign(new Schema(), value);
  }
  return { schema, shapeIssues };
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

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
