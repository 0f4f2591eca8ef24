import { HttpService } from '@nestjs/axios';
import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  SECPAID_RATE_LIMITER,
  SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS,
  SECPAID_RATE_LIMIT_WINDOW_MS,
  SecPaidRateLimiter,
  installRateLimiter,
} from './http/rate-limiter.js';
import {
  SECPAID_SHARED_RATE_LIMITER,
  SecPaidSharedRateLimiter,
  installSharedRateLimiter,
} from './http/shared-rate-limiter.js';
import { SECPAID_REDIS, SECPAID_REDIS_PROVIDER } from './redis/secpaid-redis.providers.js';
import type { SecPaidRedisCoordinator } from './redis/secpaid-redis.coordinator.js';
import { fallbackBudget } from './redis/secpaid-redis.options.js';
import { SECPAID_RETRY_POLICY, SecPaidRetryPolicy } from './http/retry.policy.js';
import { createSecPaidAxios } from './http/secpaid-axios.factory.js';
import { SECPAID_HTTP_SERVICE, SECPAID_RESOLVED_OPTIONS } from './secpaid.constants.js';
import {
  SECPAID_MODULE_OPTIONS,
  SecPaidConfigurableModuleClass,
  type SecPaidModuleAsyncOptions,
  type SecPaidModuleSyncOptions,
} from './secpaid.module-definition.js';
import type { ResolvedSecPaidOptions, SecPaidModuleOptions } from './options/secpaid-options.js';
import { resolveSecPaidOptions } from './options/secpaid-options.resolver.js';
import { SecPaidService } from './service/secpaid.service.js';
import { SecPaidStartupCheck } from './service/secpaid-startup.check.js';
import {
  SECPAID_WEBHOOK_PROVIDERS,
  withSecPaidWebhookController,
} from './webhooks/secpaid-webhook.providers.js';

/**
 * The SecPaid integration module: `SecPaidModule.forRoot(options)` or
 * `SecPaidModule.forRootAsync({ imports, inject, useFactory | useClass | useExisting })`,
 * each with an optional `isGlobal`.
 * @publicApi
 */
@Module({
  // DiscoveryModule finds the @SecPaidWebhookHandler methods.
  imports: [DiscoveryModule],
  providers: [
    {
      provide: SECPAID_RESOLVED_OPTIONS,
      useFactory: (options: SecPaidModuleOptions) => resolveSecPaidOptions(options),
      inject: [SECPAID_MODULE_OPTIONS],
    },
    SECPAID_REDIS_PROVIDER,
    { provide: SECPAID_RATE_LIMIT_WINDOW_MS, useValue: SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS },
    {
      // One limiter per module instance; `null` when `rateLimit: false`.
      provide: SECPAID_RATE_LIMITER,
      useFactory: (options: ResolvedSecPaidOptions, windowMs: number) =>
        options.rateLimit === false
          ? null
          : new SecPaidRateLimiter({ limit: options.rateLimit.requestsPerMinute, windowMs }),
      inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_RATE_LIMIT_WINDOW_MS],
    },
    {
      // With `redis`: the budget shared by every replica; `null` otherwise.
      provide: SECPAID_SHARED_RATE_LIMITER,
      useFactory: (
        options: ResolvedSecPaidOptions,
        redis: SecPaidRedisCoordinator | null,
        windowMs: number,
      ) => {
        if (redis === null || options.redis === false || options.rateLimit === false) return null;
        const limit = options.rateLimit.requestsPerMinute;
        return new SecPaidSharedRateLimiter(redis, {
          limit,
          windowMs,
          apiKey: options.apiKey,
          slowRedisWaitMs: Math.max(options.redis.commandTimeoutMs, options.timeoutMs),
          fallback: new SecPaidRateLimiter({
            limit: fallbackBudget(options.redis, limit),
            windowMs,
          }),
        });
      },
      inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_REDIS, SECPAID_RATE_LIMIT_WINDOW_MS],
    },
    { provide: SECPAID_RETRY_POLICY, useFactory: () => new SecPaidRetryPolicy() },
    {
      provide: SECPAID_HTTP_SERVICE,
      useFactory: (
        options: ResolvedSecPaidOptions,
        limiter: SecPaidRateLimiter | null,
        shared: SecPaidSharedRateLimiter | null,
      ) => {
        const instance = createSecPaidAxios(options);
        // Raw `@InjectSecPaidHttpService()` calls share the service's budget (and, with
        // `redis`, every replica's).
        if (shared) installSharedRateLimiter(instance, shared);
        else if (limiter) installRateLimiter(instance, limiter);
        // @nestjs/axios 4 (Nest 11) types its constructor with axios' CommonJS typings.
        return new HttpService(instance as ConstructorParameters<typeof HttpService>[0]);
      },
      inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_RATE_LIMITER, SECPAID_SHARED_RATE_LIMITER],
    },
    SecPaidService,
    SecPaidStartupCheck,
    ...SECPAID_WEBHOOK_PROVIDERS,
  ],
  // The HttpService token is exported only for `@InjectSecPaidHttpService()` (public); the
  // resolved options stay inside (the health indicator finds them with `strict: false`).
  exports: [SECPAID_HTTP_SERVICE, SecPaidService],
})
export class SecPaidModule extends SecPaidConfigurableModuleClass {
  /** Registers the module with options known now. */
  static override forRoot(options: SecPaidModuleSyncOptions): DynamicModule {
    // Each registration gets its own webhook controller, routed once the options are resolved.
    return withSecPaidWebhookController(super.forRoot(options));
  }

  /** Registers the module with options from a factory, class or existing provider. */
  static override forRootAsync(options: SecPaidModuleAsyncOptions): DynamicModule {
    return withSecPaidWebhookController(super.forRootAsync(options));
  }
}
