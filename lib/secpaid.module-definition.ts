import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SecPaidModuleOptions } from './options/secpaid-options.js';

/** Extra, non-options settings of `forRoot`/`forRootAsync`. */
export interface SecPaidModuleExtras {
  /** Register the module globally (default false). */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: SecPaidConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: SECPAID_MODULE_OPTIONS,
  OPTIONS_TYPE: SECPAID_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SECPAID_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SecPaidModuleOptions>({ moduleName: 'SecPaid' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSecPaidOptions')
  .setExtras<SecPaidModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What `forRoot` takes: the options plus `isGlobal`. */
export type SecPaidModuleSyncOptions = typeof SECPAID_OPTIONS_TYPE;
/** What `forRootAsync` takes: `imports`, `inject`, `useFactory | useClass | useExisting`, `isGlobal`. */
export type SecPaidModuleAsyncOptions = typeof SECPAID_ASYNC_OPTIONS_TYPE;
