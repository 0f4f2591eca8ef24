import type { DynamicModule, InjectionToken, Provider } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, ModulesContainer } from '@nestjs/core';
import {
  SECPAID_RESOLVED_OPTIONS,
  SECPAID_TELEMETRY,
  SECPAID_WEBHOOK_DEDUPE_STORE,
  SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS,
  SECPAID_WEBHOOK_DEFAULT_TUNING,
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
import { SecPaidPaymentConfirmer } from './confirmation/payment.confirmer.js';
import { SecPaidWebhookDelivery } from './delivery/webhook.delivery.js';
import type { SecPaidTelemetry } from '../observability/secpaid.telemetry.js';
import type {
  SecPaidPendingPaymentStore,
  SecPaidWebhookDedupeStore,
} from '../options/webhook-store.contracts.js';
import type { SecPaidCreatedLinks } from '../service/created-links.ledger.js';
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

/**
 * Gives one registration its webhook side (internal). Always: the tuning, the links this app
 * created (`createLink` records them) and the confirmation lane (`verifyCallback` and webhook
 * confirmations share it). With `receives`: the receiver, its claim and pending stores, the
 * handler dispatcher and a controller of its own, routed once the options are resolved.
 * `receives` is false only when the options are known to have no `webhooks` (a `forRoot`
 * without them), so an app that only calls the API builds none of the receiving side.
 * `serviceToken` is the registration's `SecPaidService`, which the lane calls for lookups.
 */
export function withSecPaidWebhooks(
  definition: DynamicModule,
  instanceName: string,
  serviceToken: InjectionToken,
  receives: boolean,
): DynamicModule {
  const providers: Provider[] = [
    ...(definition.providers ?? []),
    { provide: SECPAID_WEBHOOK_TUNING, useValue: SECPAID_WEBHOOK_DEFAULT_TUNING },
    {
      // The links this app created: in Redis when shared (a link created on one replica is
      // paid to another), else in memory. Account data like pending payments: its namespace
      // stays put when the key rotates.
      provide: SECPAID_CREATED_LINKS,
      useFactory: (options: ResolvedSecPaidOptions, redis: SecPaidRedisCoordinator | null) =>
        redis
          ? new SecPaidRedisCreatedLinks(
              redis,
              secpaidAccountNamespace(options.apiKeySource, instanceName),
            )
          : new SecPaidInMemoryCreatedLinks(),
      inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_REDIS],
    },
    {
      // No budget of its own: its calls take the key's confirmation lane (lib/http/budget/).
      // The service is looked up at call time: it injects this lane itself.
      provide: SECPAID_CONFIRMATION_LANE,
      useFactory: (tuning: SecPaidWebhookTuning, moduleRef: ModuleRef) => {
        const lookup: SecPaidPayInLookup = {
          getPayInTransactions: (query, callOptions) =>
            moduleRef
              .get<SecPaidPayInLookup>(serviceToken, { strict: true })
              .getPayInTransactions(query, callOptions),
        };
        return new PayInLookupBatcher(lookup, { listLimit: tuning.confirmListLimit });
      },
      inject: [SECPAID_WEBHOOK_TUNING, ModuleRef],
    },
  ];
  if (!receives) return { ...definition, providers };

  const controller = createSecPaidWebhookController();
  return {
    ...definition,
    controllers: [...(definition.controllers ?? []), controller],
    providers: [
      ...providers,
      {
        // The receiver over its rooms: delivery (claims, handlers) and confirmation (inline
        // window, pending re-checks), which one close signal stops.
        provide: SecPaidWebhookReceiver,
        useFactory: (
          options: ResolvedSecPaidOptions,
          dedupeStore: SecPaidWebhookDedupeStore,
          pendingStore: SecPaidPendingPaymentStore,
          tuning: SecPaidWebhookTuning,
          lane: PayInLookupBatcher,
          createdLinks: SecPaidCreatedLinks,
          dispatcher: SecPaidWebhookDispatcher,
          adapterHost: HttpAdapterHost,
          telemetry: SecPaidTelemetry,
        ) => {
          const delivery = new SecPaidWebhookDelivery(dedupeStore, dispatcher, tuning);
          const closing = new AbortController();
          const confirmer = new SecPaidPaymentConfirmer(
            lane,
            createdLinks,
            pendingStore,
            options.webhooks,
            tuning,
            closing.signal,
            {
              dispatch: (event) => delivery.deliver(event),
              unconfirmed: (entry) => delivery.reportUnconfirmed(entry),
            },
          );
          const rooms = { delivery, confirmer, dispatcher, closing };
          return new SecPaidWebhookReceiver(options, rooms, adapterHost, telemetry);
        },
        inject: [
          SECPAID_RESOLVED_OPTIONS,
          SECPAID_WEBHOOK_DEDUPE_STORE,
          SECPAID_WEBHOOK_PENDING_STORE,
          SECPAID_WEBHOOK_TUNING,
          SECPAID_CONFIRMATION_LANE,
          SECPAID_CREATED_LINKS,
          SecPaidWebhookDispatcher,
          HttpAdapterHost,
          SECPAID_TELEMETRY,
        ],
      },
      {
        provide: SecPaidWebhookDispatcher,
        useFactory: (modules: ModulesContainer) =>
          new SecPaidWebhookDispatcher(modules, instanceName),
        inject: [ModulesContainer],
      },
      {
        // A custom store wins; then Redis (shared by the replicas); else this process's memory.
        provide: SECPAID_WEBHOOK_DEDUPE_STORE,
        useFactory: (options: ResolvedSecPaidOptions, redis: SecPaidRedisCoordinator | null) =>
          (options.webhooks && options.webhooks.dedupeStore) ||
          (redis
            ? new SecPaidRedisWebhookClaimStore(
                redis,
                secpaidAccountNamespace(options.apiKeySource, instanceName),
              )
            : new SecPaidInMemoryWebhookDedupeStore()),
        inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_REDIS],
      },
      {
        // Chosen like the claim store: custom, then Redis (survives restarts), else memory.
        // A round holds the entries it took as long as a handler may hold a claim.
        provide: SECPAID_WEBHOOK_PENDING_STORE,
        useFactory: (
          options: ResolvedSecPaidOptions,
          redis: SecPaidRedisCoordinator | null,
          tuning: SecPaidWebhookTuning,
        ) =>
          (options.webhooks && options.webhooks.pendingStore) ||
          (redis
            ? new SecPaidRedisPendingPaymentStore(
                redis,
                secpaidAccountNamespace(options.apiKeySource, instanceName),
                { leaseMs: tuning.claimTtlMs ?? SECPAID_WEBHOOK_DEFAULT_CLAIM_TTL_MS },
              )
            : new SecPaidInMemoryPendingPaymentStore()),
        inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_REDIS, SECPAID_WEBHOOK_TUNING],
      },
      {
        provide: SECPAID_WEBHOOK_ROUTE,
        useFactory: (options: ResolvedSecPaidOptions) =>
          mountSecPaidWebhookRoute(controller, options.webhooks),
        inject: [SECPAID_RESOLVED_OPTIONS],
      },
    ],
  };
}
