import { HttpService } from '@nestjs/axios';
import { Logger, type DynamicModule, type InjectionToken, type Provider } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { SECPAID_CLOSE_CLOCK, SecPaidCloseClock } from '../core/close.deadline.js';
import { isSecPaidSecret, SecPaidSecret } from '../core/secret.value.js';
import { createSecPaidBudget, type SecPaidBudget } from '../http/budget/secpaid-budget.js';
import {
  SECPAID_API_KEY,
  SECPAID_DEFAULT_INSTANCE,
  SECPAID_BUDGET,
  SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS,
  SECPAID_RATE_LIMIT_WINDOW_MS,
  SECPAID_REDIS,
  SECPAID_RETRY_POLICY,
  SECPAID_SHUTDOWN_GATE,
  SECPAID_TELEMETRY,
  SECPAID_HTTP_SERVICE,
  SECPAID_INSTANCE,
  SECPAID_RESOLVED_OPTIONS,
} from '../secpaid.constants.js';
import type { SecPaidRedisCoordinator } from '../redis/secpaid-redis.coordinator.js';
import { SECPAID_REDIS_PROVIDER } from '../redis/secpaid-redis.providers.js';
import { SecPaidRetryPolicy } from '../http/retry.policy.js';
import { createSecPaidPipeline, SecPaidShutdownGate } from '../http/secpaid-request.pipeline.js';
import { secpaidChannels } from '../observability/diagnostics.channels.js';
import { SecPaidTelemetry } from '../observability/secpaid.telemetry.js';
import { SecPaidApiKeyHolder } from '../options/api-key.holder.js';
import type { ResolvedSecPaidOptions, SecPaidModuleOptions } from '../options/secpaid-options.js';
import { resolveSecPaidOptions } from '../options/secpaid-options.resolver.js';
import { SecPaidService } from '../service/secpaid.service.js';
import { SecPaidStartupCheck } from '../service/secpaid-startup.check.js';
import type { SecPaidInstance } from './secpaid-instance.registry.js';
import { assertValidSecPaidInstanceName } from '../validation/identifier.rules.js';
import {
  getSecPaidHttpServiceToken,
  getSecPaidServiceToken,
  secpaidInstanceName,
} from './secpaid-instance.tokens.js';
import { registerSecPaidInstance } from './secpaid-instance.registry.js';

/**
 * Gives one `forRoot`/`forRootAsync` definition everything an instance owns: validated options,
 * rate budgets, retry policy, axios instance, service and start-up check, exported under the
 * instance's public tokens (internal). `optionsToken` is the builder's raw-options token.
 *
 * Inside the registration the internal tokens are the same for every instance; only the
 * exported ones carry the name. A named instance's `SecPaidService` is provided under its
 * named token only, so injecting the class always means the default instance.
 */
export function withSecPaidInstance(
  definition: DynamicModule,
  name: unknown,
  optionsToken: InjectionToken,
): DynamicModule {
  assertValidSecPaidInstanceName(name);
  const instanceName = secpaidInstanceName(name);
  const serviceToken = getSecPaidServiceToken(name);
  const httpToken = getSecPaidHttpServiceToken(name);
  return {
    ...definition,
    providers: [
      ...(definition.providers ?? []).map((provider) => heldAsSecret(provider, optionsToken)),
      {
        provide: SECPAID_RESOLVED_OPTIONS,
        useFactory: (options: SecPaidSecret<SecPaidModuleOptions>) =>
          resolveSecPaidOptions(options.reveal(), instanceName),
        inject: [optionsToken],
      },
      {
        // Async: a key provider is read before anything can call SecPaid (start-up fails without a key).
        provide: SECPAID_API_KEY,
        useFactory: (options: ResolvedSecPaidOptions) => startApiKeyHolder(options, instanceName),
        inject: [SECPAID_RESOLVED_OPTIONS],
      },
      ...RATE_LIMIT_PROVIDERS,
      { provide: SECPAID_RETRY_POLICY, useFactory: () => new SecPaidRetryPolicy() },
      // One close deadline for everything the instance owns (HTTP calls in flight, Redis).
      { provide: SECPAID_CLOSE_CLOCK, useFactory: () => new SecPaidCloseClock() },
      // Ends the instance's HTTP traffic on destroy (awaits sent requests within the deadline).
      {
        provide: SECPAID_SHUTDOWN_GATE,
        useFactory: (clock: SecPaidCloseClock) => new SecPaidShutdownGate(clock),
        inject: [SECPAID_CLOSE_CLOCK],
      },
      {
        // Async: loads the optional @opentelemetry/api before the first call can happen.
        provide: SECPAID_TELEMETRY,
        useFactory: (options: ResolvedSecPaidOptions) => SecPaidTelemetry.create(options),
        inject: [SECPAID_RESOLVED_OPTIONS],
      },
      {
        provide: httpToken,
        useFactory: createSecPaidHttpService,
        inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_BUDGET, SECPAID_SHUTDOWN_GATE, SECPAID_API_KEY],
      },
      ...aliasUnlessSame(SECPAID_HTTP_SERVICE, httpToken),
      serviceToken === SecPaidService
        ? SecPaidService
        : { provide: serviceToken, useClass: SecPaidService },
      {
        provide: SECPAID_INSTANCE,
        useFactory: (
          service: SecPaidService,
          options: ResolvedSecPaidOptions,
          redis: SecPaidRedisCoordinator | null,
          modules: ModulesContainer,
          apiKey: SecPaidApiKeyHolder,
        ): SecPaidInstance => {
          const instance: SecPaidInstance = Object.freeze({
            name: instanceName,
            service,
            options,
            redis,
            apiKey,
          });
          registerSecPaidInstance(instance, modules);
          return instance;
        },
        inject: [
          serviceToken,
          SECPAID_RESOLVED_OPTIONS,
          SECPAID_REDIS,
          ModulesContainer,
          SECPAID_API_KEY,
        ],
      },
      {
        provide: SecPaidStartupCheck,
        useFactory: (options: ResolvedSecPaidOptions, service: SecPaidService) =>
          new SecPaidStartupCheck(options, service, instanceName),
        inject: [SECPAID_RESOLVED_OPTIONS, serviceToken],
      },
    ],
    exports: [...(definition.exports ?? []), httpToken, serviceToken],
  };
}

/**
 * The Redis connection (or `null`), the budget's window and the one budget of the registration
 * (`null` with `rateLimit: false`; lib/http/budget/).
 */
const RATE_LIMIT_PROVIDERS: Provider[] = [
  SECPAID_REDIS_PROVIDER,
  { provide: SECPAID_RATE_LIMIT_WINDOW_MS, useValue: SECPAID_RATE_LIMIT_DEFAULT_WINDOW_MS },
  {
    provide: SECPAID_BUDGET,
    useFactory: createSecPaidBudget,
    inject: [
      SECPAID_RESOLVED_OPTIONS,
      SECPAID_REDIS,
      SECPAID_RATE_LIMIT_WINDOW_MS,
      SECPAID_API_KEY,
    ],
  },
];

/** The instance's own HttpService over its pipeline; raw calls pass the service's budget. */
function createSecPaidHttpService(
  options: ResolvedSecPaidOptions,
  budget: SecPaidBudget | null,
  gate: SecPaidShutdownGate,
  keys: SecPaidApiKeyHolder,
): HttpService {
  const instance = createSecPaidPipeline(options, { gate, budget, keys });
  // @nestjs/axios 4 (Nest 11) types its constructor with axios' CommonJS typings.
  return new HttpService(instance as ConstructorParameters<typeof HttpService>[0]);
}

/**
 * Reads the instance's key (its provider, if any) and reports every later change: one log line
 * and a `secpaid:api-key:changed` message, key hash prefixes only.
 */
function startApiKeyHolder(
  options: ResolvedSecPaidOptions,
  instanceName: string,
): Promise<SecPaidApiKeyHolder> {
  const ofInstance =
    instanceName === SECPAID_DEFAULT_INSTANCE ? '' : ` of instance '${instanceName}'`;
  const source = options.apiKeySource;
  return SecPaidApiKeyHolder.start(isSecPaidSecret(source) ? source.reveal() : source, {
    refreshMs: options.apiKeyRefreshMs,
    // A key read is bounded like one attempt: a hung secret store keeps the last key.
    readTimeoutMs: options.timeoutMs,
    logger: new Logger('SecPaidApiKey'),
    label: `SecPaid API key${ofInstance}`,
    onChange: (change) => {
      if (secpaidChannels.apiKeyChanged.hasSubscribers) {
        secpaidChannels.apiKeyChanged.publish({ instance: instanceName, ...change });
      }
    },
  });
}

/**
 * The options as the app gave them (the builder's `useValue`, or what its factory returned)
 * are a provider too, with the raw API key, encryption key and Redis credentials in plain
 * fields: it is held as one `SecPaidSecret`, so no walk over the app's providers prints it.
 */
function heldAsSecret(provider: Provider, optionsToken: InjectionToken): Provider {
  if (typeof provider !== 'object' || provider.provide !== optionsToken) return provider;
  if ('useValue' in provider) {
    return { ...provider, useValue: SecPaidSecret.holding(provider.useValue as object) };
  }
  if ('useFactory' in provider) {
    const factory = provider.useFactory;
    return {
      ...provider,
      useFactory: async (...args: unknown[]) =>
        SecPaidSecret.holding((await factory(...args)) as object),
    };
  }
  return provider;
}

function aliasUnlessSame(alias: InjectionToken, target: InjectionToken): Provider[] {
  return alias === target ? [] : [{ provide: alias, useExisting: target }];
}
