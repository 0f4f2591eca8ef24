import { type DynamicModule, Module } from '@nestjs/common';
import { withSecPaidInstance } from './instances/secpaid-instance.providers.js';
import {
  SECPAID_MODULE_OPTIONS,
  SecPaidConfigurableModuleClass,
  type SecPaidModuleAsyncOptions,
  type SecPaidModuleSyncOptions,
} from './secpaid.module-definition.js';
import {
  SECPAID_WEBHOOK_PROVIDERS,
  withSecPaidWebhookController,
} from './webhooks/secpaid-webhook.providers.js';

/**
 * The SecPaid integration module: `SecPaidModule.forRoot(options)` or
 * `SecPaidModule.forRootAsync({ imports, inject, useFactory | useClass | useExisting })`,
 * each with optional `isGlobal` and `name`. Every registration is one SecPaid instance with its
 * own options, axios instance, rate budget, retry policy, start-up check and webhook receiver;
 * a registration without `name` is the default instance (`SecPaidService`).
 * @publicApi
 */
@Module({
  providers: [...SECPAID_WEBHOOK_PROVIDERS],
})
export class SecPaidModule extends SecPaidConfigurableModuleClass {
  /** Registers an instance with options known now. */
  static override forRoot(options: SecPaidModuleSyncOptions): DynamicModule {
    return SecPaidModule.instance(super.forRoot(options), options.name);
  }

  /** Registers an instance with options from a factory, class or existing provider. */
  static override forRootAsync(options: SecPaidModuleAsyncOptions): DynamicModule {
    return SecPaidModule.instance(super.forRootAsync(options), options.name);
  }

  private static instance(definition: DynamicModule, name: unknown): DynamicModule {
    // Each registration gets its own webhook controller, routed once the options are resolved.
    return withSecPaidWebhookController(
      withSecPaidInstance(definition, name, SECPAID_MODULE_OPTIONS),
    );
  }
}
