import type { DynamicModule, Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  SECPAID_INSTANCE_NAME,
  SECPAID_INSTANCE_SERVICE,
  SECPAID_RESOLVED_OPTIONS,
  SECPAID_WEBHOOK_DEDUPE_STORE,
  SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS,
  SECPAID_WEBHOOK_DEFAULT_TUNING,
  SECPAID_WEBHOOK_PAY_IN_LOOKUP,
  SECPAID_WEBHOOK_PENDING_STORE,
  SECPAID_WEBHOOK_ROUTE,
  SECPAID_WEBHOOK_TUNING,
  type SecPaidWebhookTuning,
  SECPAID_REDIS,
  SECPAID_CONFIRMATION_LANE,
  SECPAID_CREATED_LINKS,
} from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import {
  SecPaidInMemoryCreatedLinks,
  SecPaidRedisCreatedLinks,
} from './stores/created-links.store.js';
import { PayInLookupBatcher } from './confirmation/pay-in-lookup.batcher.js';
import type { SecPaidPayInLookup } from './confirmation/payment-confirmation.js';
import { secpaidAccountNamespace } from '../redis/redis-keyspace.js';
import { SecPaidRedisPendingPaymentStore } from './stores/redis-pending-payment.store.js';
import { SecPaidRedisWebhookClaimStore } from './stores/redis-webhook-claim.store.js';
import type { SecPaidRedisCoordinator } from '../redis/secpaid-redis.coordinator.js';
import { SecPaidInMemoryWebhookDedupeStore } from './stores/in-memory-webhook-dedupe.store.js';
import { SecPaidInMemoryPendingPaymentStore } from './stores/in-memory-pending-payment.store.js';
import {
  createSecPaidWebhookController,
  mountSecPaidWebhookRoute,
} from './secpaid-webhook.controller.js';
import { SecPaidWebhookDispatcher } from './delivery/secpaid-webhook.dispatcher.js';
import { SecPaidWebhookReceiver } from './secpaid-webhook.receiver.js';

/** The webhook providers every `SecPaidModule` registration has (internal). */
export const SECPAID_WEBHOOK_PROVIDERS: Provider[] = [
  SecPaidWebhookDispatcher,
  SecPaidWebhookReceiver,
  {
    // A custom store wins; then Redis (shared by the replicas); else this process's memory.
    provide: SECPAID_WEBHOOK_DEDUPE_STORE,
    useFactory: (
      options: ResolvedSecPaidOptions,
      redis: SecPaidRedisCoordinator | null,
      instanceName: string,
    ) =>
      (options.webhooks && options.webhooks.dedupeStore) ||
      (redis
        ? new SecPaidRedisWebhookClaimStore(
            redis,
            secpaidAccountNamespace(options.apiKeySource, instanceName),
          )
        : new SecPaidInMemoryWebhookDedupeStore()),
    inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_REDIS, SECPAID_INSTANCE_NAME],
  },
  {
    // Chosen like the claim store: custom, then Redis (survives restarts), else memory.
    provide: SECPAID_WEBHOOK_PENDING_STORE,
    // A round holds the entries it took as long as a handler may hold a claim.
    useFactory: (
      options: ResolvedSecPaidOptions,
      redis: SecPaidRedisCoordinator | null,
      tuning: SecPaidWebhookTuning,
      instanceName: string,
    ) =>
      (options.webhooks && options.webhooks.pendingStore) ||
      (redis
        ? new SecPaidRedisPendingPaymentStore(
            redis,
            secpaidAccountNamespace(options.apiKeySource, instanceName),
            { leaseMs: tuning.claimTtlMs ?? SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS },
          )
        : new SecPaidInMemoryPendingPaymentStore()),
    inject: [
      SECPAID_RESOLVED_OPTIONS,
      SECPAID_REDIS,
      SECPAID_WEBHOOK_TUNING,
      SECPAID_INSTANCE_NAME,
    ],
  },
  { provide: SECPAID_WEBHOOK_TUNING, useValue: SECPAID_WEBHOOK_DEFAULT_TUNING },
  {
    // The links this app created: in Redis when shared (a link created on one replica is paid
    // to another), else in memory.
    provide: SECPAID_CREATED_LINKS,
    // Account data like pending payments: its namespace stays put when the key rotates.
    useFactory: (
      options: ResolvedSecPaidOptions,
      redis: SecPaidRedisCoordinator | null,
      instanceName: string,
    ) =>
      redis
        ? new SecPaidRedisCreatedLinks(
            redis,
            secpaidAccountNamespace(options.apiKeySource, instanceName),
          )
        : new SecPaidInMemoryCreatedLinks(),
    inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_REDIS, SECPAID_INSTANCE_NAME],
  },
  {
    // The confirmation lane: webhook confirmations and verifyCallback share its budget, with
    // webhooks on or off. The service is looked up at call time: it uses this lane itself.
    provide: SECPAID_CONFIRMATION_LANE,
    useFactory: (tuning: SecPaidWebhookTuning, moduleRef: ModuleRef) => {
      const lookup: SecPaidPayInLookup = {
        getPayInTransactions: (query, callOptions) =>
          moduleRef
            .get<SecPaidPayInLookup>(SECPAID_WEBHOOK_PAY_IN_LOOKUP, { strict: true })
            .getPayInTransactions(query, callOptions),
      };
      // No budget of its own: its calls take the key's confirmation lane (lib/http/budget/).
      return new PayInLookupBatcher(lookup, { listLimit: tuning.confirmListLimit });
    },
    inject: [SECPAID_WEBHOOK_TUNING, ModuleRef],
  },
  // Confirmation goes through the instance's own service: same key, limiter and retries.
  { provide: SECPAID_WEBHOOK_PAY_IN_LOOKUP, useExisting: SECPAID_INSTANCE_SERVICE },
];

/**
 * Adds a controller class of its own to a `forRoot`/`forRootAsync` definition, plus the
 * provider that gives it its route from the resolved options (internal).
 */
export function withSecPaidWebhookController(definition: DynamicModule): DynamicModule {
  const controller = createSecPaidWebhookController();
  return {
    ...definition,
    controllers: [...(definition.controllers ?? []), controller],
    providers: [
      ...(definition.providers ?? []),
      {
        provide: SECPAID_WEBHOOK_ROUTE,
        useFactory: (options: ResolvedSecPaidOptions) =>
          mountSecPaidWebhookRoute(controller, options.webhooks),
        inject: [SECPAID_RESOLVED_OPTIONS],
      },
    ],
  };
}
