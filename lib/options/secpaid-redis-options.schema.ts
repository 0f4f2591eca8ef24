import { SecPaidSecret } from '../core/secret.value.js';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateIf,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import {
  SECPAID_REDIS_DEFAULTS,
  isSupportedRedisClient,
  type ResolvedSecPaidRedisOptions,
  type SecPaidRedisOptions,
} from './secpaid-redis.options.js';

/** A `redis:`/`rediss:` URL, and only when `client` is not given as well. */
function IsRedisUrl(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRedisUrl',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          isRedisUrl(value) && (args.object as RedisSchema).client === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          (args?.object as RedisSchema | undefined)?.client !== undefined
            ? 'give redis.url or redis.client, not both'
            : 'must be a redis:// or rediss:// URL',
      },
    });
}

/** A node-redis or ioredis client. */
function IsRedisClient(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRedisClient',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a connected node-redis or ioredis client (or give redis.url)' },
      validator: { validate: isSupportedRedisClient },
    });
}

/** `cluster: true` only beside `url`: an app's own client is used as it is. */
function IsClusterOfUrl(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isClusterOfUrl',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: 'applies to redis.url only (for redis.client, pass a cluster client itself)',
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          value !== true || (args.object as RedisSchema).client === undefined,
      },
    });
}

function isRedisUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol, hostname } = new URL(value);
    return (protocol === 'redis:' || protocol === 'rediss:') && hostname !== '';
  } catch {
    return false;
  }
}

/** `redis`: `url` or `client`, plus tuning. Messages never include values (URLs hold passwords). */
export class RedisSchema {
  @ValidateIf((o: RedisSchema) => o.url !== undefined || o.client === undefined)
  @IsRedisUrl()
  url?: string;

  @ValidateIf((o: RedisSchema) => o.client !== undefined)
  @IsRedisClient()
  client?: unknown;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  @IsClusterOfUrl()
  cluster?: boolean;

  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(/^[\x21-\x7e]{0,100}$/, { message: 'must be at most 100 visible ASCII characters' })
  keyPrefix?: string;

  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1, { message: 'must be positive' })
  commandTimeoutMs?: number;

  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  fallbackRequestsPerMinute?: number;
}

/** Applies the defaults to validated `redis` options (known fields only). */
export function resolveRedisOptions(redis: SecPaidRedisOptions): ResolvedSecPaidRedisOptions {
  const resolved: ResolvedSecPaidRedisOptions = {
    keyPrefix: redis.keyPrefix ?? SECPAID_REDIS_DEFAULTS.keyPrefix,
    commandTimeoutMs: redis.commandTimeoutMs ?? SECPAID_REDIS_DEFAULTS.commandTimeoutMs,
    cluster: redis.cluster === true,
  };
  // Held as secrets: a URL may carry a password, a client's options its credentials.
  if (redis.url !== undefined) resolved.url = SecPaidSecret.of(redis.url);
  if (redis.client !== undefined) resolved.client = SecPaidSecret.holding(redis.client);
  if (redis.fallbackRequestsPerMinute !== undefined) {
    resolved.fallbackRequestsPerMinute = redis.fallbackRequestsPerMinute;
  }
  return resolved;
}
