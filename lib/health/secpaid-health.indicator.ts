import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { SecPaidInstance } from '../instances/secpaid-instance.registry.js';
import {
  SECPAID_DEFAULT_INSTANCE,
  secpaidInstanceName,
} from '../instances/secpaid-instance.tokens.js';
import { secpaidInstancesOf } from '../instances/secpaid-instance.registry.js';
import { ApiKeyCheckCache, type ApiKeyCheckOutcome } from './api-key-check.cache.js';
import { SharedApiKeyCheck } from './shared-api-key-check.js';
import {
  keyVerificationMessageOf,
  keyVerificationFailureOf,
} from '../service/key-verification-failure.reason.js';

/** Failures are reused for at most this long, so a fixed key or network shows up quickly. */
const MAX_FAILURE_TTL_MS = 5_000;

/**
 * Options of `SecPaidHealthIndicator.isHealthy()`.
 * @publicApi
 */
export interface SecPaidHealthCheckOptions {
  /** The SecPaid instance to probe (`forRoot({ name })`); default: the unnamed instance. */
  instance?: string;
}

/** One instance's probe: its handle and its own cache. */
interface InstanceProbe {
  instance: SecPaidInstance;
  checks: ApiKeyCheckCache;
}

/**
 * Readiness indicator proving that an instance's API key validates against its SecPaid
 * environment, with a read-only call (`SecPaidService.verifyApiKey()`).
 *
 * It never throws for a SecPaid failure (a throw would turn terminus' 503 into a 500), bounds
 * each check by the instance's `health.timeoutMs` and really cancels the request, caches
 * results for `health.cacheTtlMs` per instance, and shares one in-flight check among
 * concurrent probes of an instance. Its data never holds the key.
 * @publicApi
 */
@Injectable()
export class SecPaidHealthIndicator implements OnModuleInit {
  /** Registrations by name; the first registration wins when the default one is repeated. */
  private readonly instances = new Map<string, SecPaidInstance>();
  private readonly probes = new Map<string, InstanceProbe>();

  constructor(
    private readonly healthIndicatorService: HealthIndicatorService,
    private readonly modules: ModulesContainer,
  ) {}

  /** Finds every SecPaid instance of the application, global or not. */
  onModuleInit(): void {
    for (const instance of secpaidInstancesOf(this.modules)) {
      if (!this.instances.has(instance.name)) this.instances.set(instance.name, instance);
    }
    if (this.instances.size === 0) {
      throw new Error(
        'SecPaidHealthModule needs SecPaidModule: import SecPaidModule.forRoot() or ' +
          'SecPaidModule.forRootAsync() in your application.',
      );
    }
  }

  /**
   * `up` with `{ environment, latencyMs, checkedAt, cached }`, or `down` with
   * `{ environment, reason, message }`.
   * @param key the key of this indicator in the health report (default `secpaid`)
   * @param options `instance`: which SecPaid instance to probe (default: the unnamed one). An
   *   instance that is not registered is a wiring mistake and rejects with an `Error`.
   */
  async isHealthy<const Key extends string = 'secpaid'>(
    key: Key = 'secpaid' as Key,
    options: SecPaidHealthCheckOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const { instance, checks } = this.probeOf(options.instance);
    const indicator = this.healthIndicatorService.check(key);
    const { environment } = instance.options;
    try {
      const outcome = await checks.get();
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

  /** The probe of `name`, created on first use. */
  private probeOf(name: string | undefined): InstanceProbe {
    const instanceName = secpaidInstanceName(name);
    const existing = this.probes.get(instanceName);
    if (existing) return existing;
    const instance = this.instances.get(instanceName);
    if (instance === undefined) {
      const known = [...this.instances.keys()].map((n) => `'${n}'`).join(', ');
      throw new Error(
        instanceName === SECPAID_DEFAULT_INSTANCE
          ? `No default SecPaid instance is registered; pass { instance } (registered: ${known})`
          : `No SecPaid instance named '${instanceName}' is registered (registered: ${known})`,
      );
    }
    const { cacheTtlMs, timeoutMs } = instance.options.health;
    const ttls = {
      successTtlMs: cacheTtlMs,
      failureTtlMs: Math.min(cacheTtlMs, MAX_FAILURE_TTL_MS),
    };
    // With `redis`, one replica checks per TTL and the others read its result.
    const shared = instance.redis
      ? new SharedApiKeyCheck(instance.redis, instance.apiKey, () => verify(instance), {
          ...ttls,
          checkTimeoutMs: timeoutMs,
        })
      : undefined;
    const probe: InstanceProbe = {
      instance,
      checks: new ApiKeyCheckCache(() => (shared ? shared.run() : verify(instance)), {
        ...ttls,
        rateLimitGraceMs: Math.max(cacheTtlMs * 5, 60_000),
        // A result is about one key: once the key rotates, the next probe checks the new one.
        keyOf: () => instance.apiKey.keyHash,
      }),
    };
    this.probes.set(instanceName, probe);
    return probe;
  }
}

/** One real verification of `instance`'s key, cancelled after its `health.timeoutMs`. Never rejects. */
async function verify({ service, options }: SecPaidInstance): Promise<ApiKeyCheckOutcome> {
  const { timeoutMs } = options.health;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    // A probe that cannot get a slot within its bound is answered at once (rate_limited).
    const { latencyMs } = await service.verifyApiKey({
      signal: controller.signal,
      timeoutMs,
      maxWaitMs: timeoutMs,
    });
    return { up: true, latencyMs, checkedAt: new Date() };
  } catch (error) {
    return { up: false, reason: keyVerificationFailureOf(error, timedOut), checkedAt: new Date() };
  } finally {
    clearTimeout(timer);
  }
}
