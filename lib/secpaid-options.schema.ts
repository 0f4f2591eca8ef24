import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { SECPAID_ENVIRONMENTS } from './secpaid.constants.js';
import { RedisSchema } from './redis/secpaid-redis-options.schema.js';

/** Visible ASCII only: whitespace or CR/LF in a header value would allow header injection. */
export const API_KEY_PATTERN = /^[\x21-\x7e]+$/;
const API_KEY_RULE = 'must be a non-empty string without whitespace or control characters';

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

function IsAllowedBaseUrl(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAllowedBaseUrl',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: 'must be an https URL (http is allowed for loopback hosts only)',
        ...options,
      },
      validator: { validate: isAllowedBaseUrl },
    });
}

/** An object with `claim`, `complete` and `release` methods. */
function IsDedupeStore(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDedupeStore',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          'must implement claim(key, token, ttlMs), complete(key, token, ttlMs) and release(key, token)',
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          ['claim', 'complete', 'release'].every(
            (method) => typeof (value as Record<string, unknown>)[method] === 'function',
          ),
      },
    });
}

/** `rateLimit` when it is an object. */
export class RateLimitSchema {
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  requestsPerMinute!: number;
}

/** `health`. */
export class HealthSchema {
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must not be negative' })
  cacheTtlMs?: number;

  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1, { message: 'must be positive' })
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
  @Length(32, 32, { message: 'must be exactly 32 characters (the AES-256 EncryptionKey)' })
  @Matches(/^[\x20-\x7e]+$/, { message: 'must be 32 ASCII characters (32 bytes)' })
  encryptionKey?: string;

  @IsOptional()
  @IsBoolean({ message: 'must be a boolean' })
  confirmPayments?: boolean;

  @IsOptional()
  @IsDedupeStore()
  dedupeStore?: unknown;
}

/** Validation schema of `SecPaidModuleOptions`; messages never include values. */
export class SecPaidOptionsSchema {
  @IsString({ message: API_KEY_RULE })
  @Matches(API_KEY_PATTERN, { message: API_KEY_RULE })
  apiKey!: string;

  @IsIn(SECPAID_ENVIRONMENTS, { message: "must be 'production' or 'development'" })
  environment!: string;

  @IsOptional()
  @IsAllowedBaseUrl()
  baseUrl?: string;

  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1, { message: 'must be positive' })
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
