import type { ModulesContainer } from '@nestjs/core';
import { SecPaidConfigurationError } from '../errors/secpaid-configuration.error.js';
import type { SecPaidInstance } from './secpaid-instance.js';
import { SECPAID_INSTANCE } from '../secpaid.constants.js';
import { isDefaultSecPaidInstance } from './secpaid-instance.tokens.js';

/** Every registration of the application whose instance handle is already created. */
export function resolvedSecPaidInstances(modules: ModulesContainer): SecPaidInstance[] {
  const instances: SecPaidInstance[] = [];
  for (const module of modules.values()) {
    const wrapper = module.providers.get(SECPAID_INSTANCE);
    const instance: unknown = wrapper?.instance;
    if (typeof instance === 'object' && instance !== null) {
      instances.push(instance as SecPaidInstance);
    }
  }
  return instances;
}

/**
 * Fails start-up when `candidate` clashes with a registration created before it: the same
 * explicit name (two services behind one token), or the same webhook route (one of the two
 * receivers would never be reached). Every registration runs it while it is created, so each
 * clashing pair is caught by whichever of the two comes second.
 *
 * The default instance may be registered more than once (in separate feature modules, as
 * before named instances existed); its routes must still differ.
 */
export function assertNoClashingSecPaidInstance(
  candidate: SecPaidInstance,
  modules: ModulesContainer,
): void {
  for (const other of resolvedSecPaidInstances(modules)) {
    if (other === candidate) continue;
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
