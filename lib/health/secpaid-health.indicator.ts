import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SECPAID_RESOLVED_OPTIONS } from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import { SecPaidService } from '../service/secpaid.service.js';
import type { SecPaidRedisCoordinator } from '../redis/secpaid-redis.coordinator.js';
import { SECPAID_REDIS } from '../redis/secpaid-redis.providers.js';
import { ApiKeyCheckCache, type ApiKeyCheckOutcome } from './api-key-check.cache.js';
import { SharedApiKeyCheck } from './shared-api-key-check.js';
import {
  keyVerificationMessageOf,
  keyVerificationFailureOf,
} from '../service/key-verification-failure.reason.js';

/** Failures are reused for at most this long, so a fixed key or network shows up quickly. */
const MAX_FAILURE_TTL_MS = 5_000;

/**
 * Readiness indicator proving that the API key validates against the configured SecPaid
 * environment, with a read-only call (`SecPaidService.verifyApiKey()`).
 *
 * It never throws (a throw would turn terminus' 503 into a 500), bounds each check by
 * `health.timeoutMs` and really cancels the request, caches results for `health.cacheTtlMs`,
 * and shares one in-flight check among concurrent probes. Its data never holds the key.
 * @publicApi
 */
@Injectable()
export class SecPaidHealthIndicator implements OnModuleInit {
  private secpaid!: SecPaidService;
  private options!: ResolvedSecPaidOptions;
  private checks!: ApiKeyCheckCache;

  constructor(
    private readonly healthIndicatorService: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Finds `SecPaidService` wherever `SecPaidModule` is registered, global or not. */
  onModuleInit(): void {
    try {
      this.secpaid = this.moduleRef.get(SecPaidService, { strict: false });
      this.options = this.moduleRef.get<ResolvedSecPaidOptions>(SECPAID_RESOLVED_OPTIONS, {
        strict: false,
      });
    } catch {
      throw new Error(
        'SecPaidHealthModule needs SecPaidModule: import SecPaidModule.forRoot() or ' +
          'SecPaidModule.forRootAsync() in your application.',
      );
    }
    const { cacheTtlMs, timeoutMs } = this.options.health;
    const ttls = {
      successTtlMs: cacheTtlMs,
      failureTtlMs: Math.min(cacheTtlMs, MAX_FAILURE_TTL_MS),
    };
    // With `redis`, one replica checks per TTL and the others read its result.
    const redis = this.moduleRef.get<SecPaidRedisCoordinator | null>(SECPAID_REDIS, {
      strict: false,
    });
    const shared = redis
      ? new SharedApiKeyCheck(redis, this.options.apiKey, () => this.verify(), {
          ...ttls,
          checkTimeoutMs: timeoutMs,
        })
      : undefined;
    this.checks = new ApiKeyCheckCache(() => (shared ? shared.run() : this.verify()), {
      ...ttls,
      rateLimitGraceMs: Math.max(cacheTtlMs * 5, 60_000),
    });
  }

  /**
   * `up` with `{ environment, latencyMs, checkedAt, cached }`, or `down` with
   * `{ environment, reason, message }`.
   * @param key the key of this indicator in the health report (default `secpaid`)
   */
  async isHealthy<const Key extends string = 'secpaid'>(
    key: Key = 'secpaid' as Key,
  ): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.healthIndicatorService.check(key);
    const { environment } = this.options;
    try {
      const outcome = await this.checks.get();
      if (outcome.up) {
        return indicator.up({
          environment,
          latencyMs: outcome.latencyMs,
          checkedAt: outcome.checkedAt.toISOString(),
          cached: outcome.cached,
        });
      }
      return indicator.down({
        environment,
        reason: outcome.reason,
        message: keyVerificationMessageOf(outcome.reason, environment),
      });
    } catch {
      // verify() does not throw; this guards the promise against anything unforeseen.
      return indicator.down({
        environment,
        reason: 'unexpected_response',
        message: keyVerificationMessageOf('unexpected_response', environment),
      });
    }
  }

  /** One real verification, cancelled after `health.timeoutMs`. Never rejects. */
  private async verify(): Promise<ApiKeyCheckOutcome> {
    const { timeoutMs } = this.options.health;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const { latencyMs } = await this.secpaid.verifyApiKey({
        signal: controller.signal,
        timeoutMs,
      });
      return { up: true, latencyMs, checkedAt: new Date() };
    } catch (error) {
      return {
        up: false,
        reason: keyVerificationFailureOf(error, timedOut),
        checkedAt: new Date(),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
