import { type DynamicModule, Module } from '@nestjs/common';
import { withSecPaidInstance } from './instances/secpaid-instance.providers.js';
import {
  getSecPaidServiceToken,
  secpaidInstanceName,
} from './instances/secpaid-instance.tokens.js';
import {
  SECPAID_MODULE_OPTIONS,
  SecPaidConfigurableModuleClass,
  type SecPaidModuleAsyncOptions,
  type SecPaidModuleSyncOptions,
} from './secpaid.module-definition.js';
import { withSecPaidWebhooks } from './webhooks/secpaid-webhook.providers.js';

/**
 * The SecPaid integration module: `SecPaidModule.forRoot(options)` or
 * `SecPaidModule.forRootAsync({ imports, inject, useFactory | useClass | useExisting })`,
 * each with optional `isGlobal` and `name`. Every registration is one SecPaid instance with its
 * own options, axios instance, rate budget, retry policy, start-up check and webhook receiver;
 * a registration without `name` is the default instance (`SecPaidService`).
 * @publicApi
 */
@Module({})
export class SecPaidModule extends SecPaidConfigurableModuleClass {
  /** Registers an instance with options known now. */
  static override forRoot(options: SecPaidModuleSyncOptions): DynamicModule {
    // Options known now: without `webhooks`, no receiver, stores or controller are built.
    return SecPaidModule.instance(super.forRoot(options), options.name, Boolean(options.webhooks));
  }

  /** Registers an instance with options from a factory, class or existing provider. */
  static override forRootAsync(options: SecPaidModuleAsyncOptions): DynamicModule {
    return SecPaidModule.instance(super.forRootAsync(options), options.name, true);
  }

  private static instance(
    definition: DynamicModule,
    name: unknown,
    receivesWebhooks: boolean,
  ): DynamicModule {
    // Validates `name` first (a typed error for a bad one), so it is a name or undefined below.
    const instance = withSecPaidInstance(definition, name, SECPAID_MODULE_OPTIONS);
    const valid = name as string | undefined;
    return withSecPaidWebhooks(
      instance,
      secpaidInstanceName(valid),
      getSecPaidServiceToken(valid),
      receivesWebhooks,
    );
  }
}
