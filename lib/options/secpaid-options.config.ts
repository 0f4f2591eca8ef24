import { Module, type DynamicModule } from '@nestjs/common';
import type { SecPaidEnvironment } from '../secpaid.constants.js';
import type { SecPaidModuleOptions } from './secpaid-options.js';

/** The namespace, as with `registerAs('secpaid', ...)`. */
const NAMESPACE = 'secpaid';
/** `getConfigToken('secpaid')` of @nestjs/config. */
const CONFIG_TOKEN = `CONFIGURATION(${NAMESPACE})`;

/** Reads the options from `SECPAID_*` environment variables; the module validates them. */
function readSecPaidEnv(): SecPaidModuleOptions {
  const env = process.env;
  const options: SecPaidModuleOptions = {
    apiKey: env['SECPAID_API_KEY'] ?? '',
    environment: env['SECPAID_ENVIRONMENT'] as SecPaidEnvironment,
  };
  if (env['SECPAID_BASE_URL']) options.baseUrl = env['SECPAID_BASE_URL'];
  if (env['SECPAID_TIMEOUT_MS']) options.timeoutMs = toNumber(env['SECPAID_TIMEOUT_MS']);
  if (env['SECPAID_WEBHOOK_ENCRYPTION_KEY']) {
    options.webhooks = { encryptionKey: env['SECPAID_WEBHOOK_ENCRYPTION_KEY'] };
  }
  if (env['SECPAID_REDIS_URL']) options.redis = { url: env['SECPAID_REDIS_URL'] };
  return options;
}

/** `"5000"` -> 5000; anything else -> NaN, which validation then reports as `timeoutMs`. */
function toNumber(value: string): number {
  return /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
}

/** Provides the `CONFIGURATION(secpaid)` token, as `ConfigModule.forFeature` would. */
@Module({})
class SecPaidConfigFeatureModule {}

/** The shape `registerAs` gives a config factory. */
export interface SecPaidConfigFactory {
  (): SecPaidModuleOptions;
  /** Injection token of the namespace: `@Inject(secpaidConfig.KEY)`. */
  readonly KEY: string;
  /** Spread into `SecPaidModule.forRootAsync(secpaidConfig.asProvider())`. */
  asProvider(): {
    imports: [DynamicModule];
    useFactory: (options: SecPaidModuleOptions) => SecPaidModuleOptions;
    inject: [string];
  };
}

/**
 * SecPaid options read from the environment: `SECPAID_API_KEY`, `SECPAID_ENVIRONMENT`,
 * `SECPAID_BASE_URL`, `SECPAID_TIMEOUT_MS`, `SECPAID_WEBHOOK_ENCRYPTION_KEY`, `SECPAID_REDIS_URL`.
 *
 * It has the shape of `registerAs('secpaid', ...)` from @nestjs/config (`KEY`, `asProvider()`,
 * usable in `ConfigModule.forRoot({ load: [secpaidConfig] })`), built without importing
 * @nestjs/config so that the main entry still loads where that optional peer is not installed.
 * The module validates the result at bootstrap: a missing or malformed variable fails start-up
 * with a message naming the option.
 * @publicApi
 */
export const secpaidConfig: SecPaidConfigFactory = Object.defineProperties(
  (() => readSecPaidEnv()) as SecPaidConfigFactory,
  {
    // The two property names @nestjs/config's registerAs defines (config.constants).
    PARTIAL_CONFIGURATION_KEY: { value: NAMESPACE },
    KEY: { value: CONFIG_TOKEN },
    asProvider: {
      value: () => ({
        imports: [
          {
            module: SecPaidConfigFeatureModule,
            providers: [{ provide: CONFIG_TOKEN, useFactory: readSecPaidEnv }],
            exports: [CONFIG_TOKEN],
          },
        ],
        useFactory: (options: SecPaidModuleOptions) => options,
        inject: [CONFIG_TOKEN],
      }),
    },
  },
);
