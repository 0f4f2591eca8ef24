import { applyDecorators } from '@nestjs/common';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SECPAID_ENVIRONMENTS } from '../secpaid.constants.js';
import { API_KEY_RULE, isValidApiKey } from '../validation/identifier.rules.js';
import {
  isValidTimeoutMs,
  SECPAID_MAX_TIMEOUT_MS,
  TIMEOUT_RULE,
} from '../validation/call-options.rule.js';
import {
  secpaidDecorator,
  ENCRYPTION_KEY_PATTERN,
  ENCRYPTION_KEY_RULE,
} from '../validation/secpaid.validators.js';
import { RedisSchema } from './secpaid-redis-options.schema.js';
import type { SecPaidApiKeyProvider } from './api-key.holder.js';

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** True for an https URL, or an http URL whose host is loopback (mock servers, tests). */
export function isAllowedBaseUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname);
}

function IsAllowedBaseUrl(): PropertyDecorator {
  return secpaidDecorator('isAllowedBaseUrl', (value) =>
    isAllowedBaseUrl(value)
      ? undefined
      : 'must be an https URL (http is allowed for loopback hosts only)',
  );
}

/** An object with `claim`, `complete` and `release` methods. */
function IsDedupeStore(): PropertyDecorator {
  return secpaidDecorator('isDedupeStore', (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['claim', 'complete', 'release'].every(
      (method) => typeof (value as Record<string, unknown>)[method] === 'function',
    )
      ? undefined
      : 'must implement claim(key, token, ttlMs), complete(key, token, ttlMs) and release(key, token)',
  );
}

/**
 * An optional timeout (`timeoutMs`, `health.timeoutMs`): a whole number of milliseconds from 1
 * to Node's timer limit, above which a timer fires at once.
 */
function IsOptionalTimeoutMs(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    secpaidDecorator('isTimeoutMs', (value) =>
      isValidTimeoutMs(value) ? undefined : TIMEOUT_RULE,
    ),
  );
}

/** An object with every one of `methods` (a custom store). */
function HasMethods(methods: readonly string[]): PropertyDecorator {
  return secpaidDecorator('hasMethods', (value) =>
    typeof value === 'object' &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')
      ? undefined
      : `must implement ${methods.join(', ')}`,
  );
}

/** A valid key, or a function (the provider's keys are checked each time it is read). */
function IsApiKeyOrProvider(): PropertyDecorator {
  return secpaidDecorator('isApiKeyOrProvider', (value) =>
    typeof value === 'function' || isValidApiKey(value)
      ? undefined
      : `${API_KEY_RULE}, or a function returning one`,
  );
}

/** 0 (refusals only) up to Node's timer limit, and only beside a key provider. */
function IsApiKeyRefreshMs(): PropertyDecorator {
  return secpaidDecorator('isApiKeyRefreshMs', (value, object) => {
    if (typeof (object as SecPaidOptionsSchema).apiKey !== 'function') {
      return 'applies only when apiKey is a function (a string key is never read again)';
    }
    return value === 0 || isValidTimeoutMs(value)
      ? undefined
      : `must be 0 or a whole number of milliseconds from 1 to ${SECPAID_MAX_TIMEOUT_MS}`;
  });
}

/** `rateLimit` when it is an object. */
export class RateLimitSchema {
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  requestsPerMinute!: number;

  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must not be negative' })
  maxQueue?: number;

  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must not be negative' })
  @Max(SECPAID_MAX_TIMEOUT_MS, { message: `must be at most ${SECPAID_MAX_TIMEOUT_MS}` })
  maxWaitMs?: number;
}

/** `health`. */
export class HealthSchema {
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must not be negative' })
  cacheTtlMs?: number;

  @IsOptionalTimeoutMs()
  timeoutMs?: number;
}

/** `webhooks`. */
export class WebhooksSchema {
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(/^\/?[A-Za-z0-9._~\-/]+$/, { message: 'must be a plain route path' })
  path?: string;

  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(ENCRYPTION_KEY_PATTERN, { message: `$property ${ENCRYPTION_KEY_RULE}` })
  encryptionKey?: string;

  @IsOptional()
  @IsBoolean({ message: 'must be a boolean' })
  confirmPayments?: boolean;

  @IsOptional()
  @IsDedupeStore()
  dedupeStore?: unknown;

  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(60, { message: 'must be at most 60 (SecPaid allows 60 calls a minute in all)' })
  confirmCallsPerMinute?: number;

  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1, { message: 'must be positive' })
  pendingPeriodMs?: number;

  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  maxPending?: number;

  @IsOptional()
  @HasMethods(['add', 'hurry', 'due', 'reschedule', 'remove', 'nextCheckInMs', 'size'])
  pendingStore?: unknown;
}

/** Validation schema of `SecPaidModuleOptions`; messages never include values. */
export class SecPaidOptionsSchema {
  @IsApiKeyOrProvider()
  apiKey!: string | SecPaidApiKeyProvider;

  @IsOptional()
  @IsApiKeyRefreshMs()
  apiKeyRefreshMs?: number;

  @IsIn(SECPAID_ENVIRONMENTS, { message: "must be 'production' or 'development'" })
  environment!: string;

  @IsOptional()
  @IsAllowedBaseUrl()
  baseUrl?: string;

  @IsOptionalTimeoutMs()
  timeoutMs?: number;

  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must not be negative' })
  @Max(10, { message: 'must be at most 10' })
  maxRetries?: number;

  @IsOptional()
  @ValidateIf((o: SecPaidOptionsSchema) => o.rateLimit !== false)
  @ValidateNested()
  rateLimit?: RateLimitSchema | false;

  @IsOptional()
  @IsBoolean({ message: 'must be a boolean' })
  validateApiKeyOnStartup?: boolean;

  @IsOptional()
  @ValidateNested()
  health?: HealthSchema;

  @IsOptional()
  @ValidateNested()
  webhooks?: WebhooksSchema;

  @IsOptional()
  @ValidateNested()
  redis?: RedisSchema;
}
