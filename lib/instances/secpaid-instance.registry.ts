import type { ModulesContainer } from '@nestjs/core';
import { SecPaidConfigurationError } from '../core/secpaid.errors.js';
import { isDefaultSecPaidInstance } from './secpaid-instance.tokens.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import type { SecPaidApiKeyHolder } from '../options/api-key.holder.js';
import type { SecPaidRedisCoordinator } from '../redis/secpaid-redis.coordinator.js';
import type { SecPaidService } from '../service/secpaid.service.js';

/**
 * The SecPaid instances of each application, keyed by the application's `ModulesContainer`
 * (so two apps in one process never see each other, and an app's list goes with it). Kept on
 * `globalThis` under a `Symbol.for` key so that the ESM and CommonJS builds, loaded side by
 * side, share one list.
 */
const REGISTRY_KEY = Symbol.for('nestjs-secpaid:instance-registry');
const registries = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] ??= new WeakMap<
  ModulesContainer,
  SecPaidInstance[]
>()) as WeakMap<ModulesContainer, SecPaidInstance[]>;

/** The instances registered in the application of `modules`, in registration order. */
export function secpaidInstancesOf(modules: ModulesContainer): readonly SecPaidInstance[] {
  return registries.get(modules) ?? [];
}

/**
 * Adds `instance` to its application's list, failing start-up when it clashes with one added
 * before: the same explicit name (two services behind one token), or the same webhook route
 * (one of the two receivers would never be reached). Nest creates modules concurrently, so the
 * check and the addition happen in one synchronous step: each clashing pair is caught by
 * whichever of the two comes second.
 *
 * The default instance may be registered more than once (in separate feature modules, as
 * before named instances existed); its routes must still differ.
 */
export function registerSecPaidInstance(
  instance: SecPaidInstance,
  modules: ModulesContainer,
): void {
  const instances = registries.get(modules) ?? [];
  for (const other of instances) assertNoClash(instance, other);
  instances.push(instance);
  registries.set(modules, instances);
}

function assertNoClash(candidate: SecPaidInstance, other: SecPaidInstance): void {
  if (other.name === candidate.name && !isDefaultSecPaidInstance(candidate.name)) {
    throw new SecPaidConfigurationError([
      {
        field: 'name',
        message: `'${candidate.name}' is registered twice: give each SecPaidModule.forRoot/forRootAsync its own name`,
      },
    ]);
  }
  const path = webhookRouteOf(candidate);
  if (path !== undefined && path === webhookRouteOf(other)) {
    throw new SecPaidConfigurationError([
      {
        field: 'webhooks.path',
        message: `'/${path}' is claimed by SecPaid instances '${other.name}' and '${candidate.name}': give each instance its own webhooks.path`,
      },
    ]);
  }
}

/**
 * The route as Express or Fastify would match it: no leading or trailing slash, lower case
 * (Express matches routes case-insensitively by default), so near-identical paths clash too.
 */
function webhookRouteOf(instance: SecPaidInstance): string | undefined {
  const { webhooks } = instance.options;
  if (webhooks === false) return undefined;
  return webhooks.path.replace(/^\/+|\/+$/g, '').toLowerCase();
}

/**
 * One `SecPaidModule` registration as the rest of the package sees it: its name, its service
 * and its validated options (internal). Each registration provides exactly one.
 */
export interface SecPaidInstance {
  /** `'default'` for a registration without `name`. */
  readonly name: string;
  readonly service: SecPaidService;
  readonly options: ResolvedSecPaidOptions;
  /** The instance's Redis coordination, `null` without `redis`. */
  readonly redis: SecPaidRedisCoordinator | null;
  /** The instance's key: read `current()` at send time, never keep a copy. */
  readonly apiKey: SecPaidApiKeyHolder;
}
