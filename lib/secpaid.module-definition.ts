import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SecPaidModuleOptions } from './options/secpaid-options.js';

/** Extra, non-options settings of `forRoot`/`forRootAsync`. */
export interface SecPaidModuleExtras {
  /** Register the module globally (default false). */
  isGlobal?: boolean;
  /**
   * Name of this SecPaid instance (an account: its own key, environment, rate budget, probe
   * and webhook route). Without it, the default instance. Inject a named one with
   * `@InjectSecPaidService(name)`.
   */
  name?: string;
}

export const {
  ConfigurableModuleClass: SecPaidConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: SECPAID_MODULE_OPTIONS,
  OPTIONS_TYPE: SECPAID_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SECPAID_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SecPaidModuleOptions>({ moduleName: 'SecPaid' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSecPaidOptions')
  // `name` is listed so the builder keeps it out of the module options; the module reads it.
  .setExtras<SecPaidModuleExtras>({ isGlobal: false, name: undefined }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What `forRoot` takes: the options plus `isGlobal`. */
export type SecPaidModuleSyncOptions = typeof SECPAID_OPTIONS_TYPE;
/** What `forRootAsync` takes: `imports`, `inject`, `useFactory | useClass | useExisting`, `isGlobal`. */
export type SecPaidModuleAsyncOptions = typeof SECPAID_ASYNC_OPTIONS_TYPE;
