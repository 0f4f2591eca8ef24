import { HttpService } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { createSecPaidAxios } from './http/secpaid-axios.factory.js';
import { SECPAID_HTTP_SERVICE, SECPAID_RESOLVED_OPTIONS } from './secpaid.constants.js';
import {
  SECPAID_MODULE_OPTIONS,
  SecPaidConfigurableModuleClass,
} from './secpaid.module-definition.js';
import type { ResolvedSecPaidOptions, SecPaidModuleOptions } from './secpaid.options.js';
import { resolveSecPaidOptions } from './secpaid-options.resolver.js';

/**
 * The SecPaid integration module: `SecPaidModule.forRoot(options)` or
 * `SecPaidModule.forRootAsync({ imports, inject, useFactory | useClass | useExisting })`,
 * each with an optional `isGlobal`.
 * @publicApi
 */
@Module({
  providers: [
    {
      provide: SECPAID_RESOLVED_OPTIONS,
      useFactory: (options: SecPaidModuleOptions) => resolveSecPaidOptions(options),
      inject: [SECPAID_MODULE_OPTIONS],
    },
    {
      provide: SECPAID_HTTP_SERVICE,
      useFactory: (options: ResolvedSecPaidOptions) => new HttpService(createSecPaidAxios(options)),
      inject: [SECPAID_RESOLVED_OPTIONS],
    },
  ],
  exports: [SECPAID_HTTP_SERVICE, SECPAID_RESOLVED_OPTIONS],
})
export class SecPaidModule extends SecPaidConfigurableModuleClass {}
