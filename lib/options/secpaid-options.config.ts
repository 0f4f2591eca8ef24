import { Module, type DynamicModule } from '@nestjs/common';
import type { SecPaidEnvironment } from '../secpaid.constants.js';
import type { SecPaidModuleOptions } from './secpaid-options.js';
import { assertValidSecPaidInstanceName } from '../validation/identifier.rules.js';

/** The default instance's namespace, as with `registerAs('secpaid', ...)`. */
const NAMESPACE = 'secpaid';

/** `getConfigToken(namespace)` of @nestjs/config. */
function configTokenOf(namespace: string): string {
  return `CONFIGURATION(${namespace})`;
}

/**
 * The variable (after its prefix) that each option field is read from: one table for the reader
 * below and for the hint configuration errors give ("apiKey ... (SECPAID_MERCHANT_B_API_KEY)").
 */
const VARIABLE_OF_FIELD: Readonly<Record<string, string>> = {
  apiKey: 'API_KEY',
  environment: 'ENVIRONMENT',
  baseUrl: 'BASE_URL',
  timeoutMs: 'TIMEOUT_MS',
  'webhooks.encryptionKey': 'WEBHOOK_ENCRYPTION_KEY',
  'redis.url': 'REDIS_URL',
  'redis.cluster': 'REDIS_CLUSTER',
};

/**
 * The environment variable `secpaidConfig` / `secpaidConfigFor(instance)` reads an option field
 * from (`apiKey` of `merchant-b` -> `SECPAID_MERCHANT_B_API_KEY`), or `undefined` for a field no
 * variable sets. `instance` is the registration's name (`default` for the default instance).
 */
export function secpaidVariableOf(field: string, instance: string): string | undefined {
  if (!Object.hasOwn(VARIABLE_OF_FIELD, field)) return undefined;
  const prefix = instance === 'default' ? 'SECPAID_' : secpaidEnvPrefixOf(instance);
  return `${prefix}${VARIABLE_OF_FIELD[field]}`;
}

/**
 * Reads the options from environment variables starting with `prefix` (`SECPAID_` for the
 * default instance, `SECPAID_MERCHANT_A_` for `merchant-a`); the module validates them.
 */
function readSecPaidEnv(prefix: string): SecPaidModuleOptions {
  const env = process.env;
  const read = (field: string): string | undefined => env[`${prefix}${VARIABLE_OF_FIELD[field]}`];
  const options: SecPaidModuleOptions = {
    apiKey: read('apiKey') ?? '',
    environment: read('environment') as SecPaidEnvironment,
  };
  if (read('baseUrl')) options.baseUrl = read('baseUrl');
  if (read('timeoutMs')) options.timeoutMs = toNumber(read('timeoutMs'));
  if (read('webhooks.encryptionKey')) {
    options.webhooks = { encryptionKey: read('webhooks.encryptionKey') };
  }
  if (read('redis.url')) {
    options.redis = { url: read('redis.url') };
    const cluster = read('redis.cluster');
    if (cluster) options.redis.cluster = toBoolean(cluster);
  }
  return options;
}

/** `"true"` -> true, `"false"` -> false; anything else stays a string, which validation reports. */
function toBoolean(value: string): boolean {
  const word = value.trim().toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  return value as unknown as boolean;
}

/** `"5000"` -> 5000; anything else -> NaN, which validation then reports as `timeoutMs`. */
function toNumber(value: string | undefined): number {
  if (value === undefined) return Number.NaN;
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

/** A config factory of a named instance; its `asProvider()` carries the name too. */
export interface SecPaidNamedConfigFactory extends SecPaidConfigFactory {
  /** Spread into `SecPaidModule.forRootAsync(secpaidConfigFor(name).asProvider())`. */
  asProvider(): ReturnType<SecPaidConfigFactory['asProvider']> & { name: string };
}

/**
 * Builds a `registerAs`-shaped factory reading `prefix`-ed variables under `namespace`;
 * `registration` is spread into what `asProvider()` returns.
 */
function createSecPaidConfig(
  namespace: string,
  prefix: string,
  registration: { name?: string } = {},
): SecPaidConfigFactory {
  const token = configTokenOf(namespace);
  const read = (): SecPaidModuleOptions => readSecPaidEnv(prefix);
  return Object.defineProperties(read as SecPaidConfigFactory, {
    // The two property names @nestjs/config's registerAs defines (config.constants).
    PARTIAL_CONFIGURATION_KEY: { value: namespace },
    KEY: { value: token },
    asProvider: {
      value: () => ({
        imports: [
          {
            module: SecPaidConfigFeatureModule,
            providers: [{ provide: token, useFactory: read }],
            exports: [token],
          },
        ],
        useFactory: (options: SecPaidModuleOptions) => options,
        inject: [token],
        ...registration,
      }),
    },
  });
}

/**
 * SecPaid options of the default instance read from the environment: `SECPAID_API_KEY`,
 * `SECPAID_ENVIRONMENT`, `SECPAID_BASE_URL`, `SECPAID_TIMEOUT_MS`,
 * `SECPAID_WEBHOOK_ENCRYPTION_KEY`, `SECPAID_REDIS_URL`, `SECPAID_REDIS_CLUSTER` (`true`: the URL is a
 * Redis Cluster node).
 *
 * It has the shape of `registerAs('secpaid', ...)` from @nestjs/config (`KEY`, `asProvider()`,
 * usable in `ConfigModule.forRoot({ load: [secpaidConfig] })`), built without importing
 * @nestjs/config so that the main entry still loads where that optional peer is not installed.
 * The module validates the result at bootstrap: a missing or malformed variable fails start-up
 * with a message naming the option.
 * @publicApi
 */
export const secpaidConfig: SecPaidConfigFactory = createSecPaidConfig(NAMESPACE, 'SECPAID_');

/**
 * The environment prefix of a named instance: `merchant-a` -> `SECPAID_MERCHANT_A_`
 * (upper case, `-` becomes `_`).
 * @publicApi
 */
export function secpaidEnvPrefixOf(name: string): string {
  assertValidSecPaidInstanceName(name);
  return `SECPAID_${name.toUpperCase().replace(/-/g, '_')}_`;
}

/**
 * SecPaid options of the named instance `name`, read from the same variables as
 * {@link secpaidConfig} with the name after `SECPAID_`: for `merchant-a`,
 * `SECPAID_MERCHANT_A_API_KEY`, `SECPAID_MERCHANT_A_ENVIRONMENT`, `SECPAID_MERCHANT_A_BASE_URL`,
 * `SECPAID_MERCHANT_A_TIMEOUT_MS`, `SECPAID_MERCHANT_A_WEBHOOK_ENCRYPTION_KEY`,
 * `SECPAID_MERCHANT_A_REDIS_URL`, `SECPAID_MERCHANT_A_REDIS_CLUSTER`. The namespace is
 * `secpaid:<name>`; `asProvider()` also carries `name`:
 *
 * ```ts
 * SecPaidModule.forRootAsync(secpaidConfigFor('merchant-a').asProvider())
 * ```
 * @publicApi
 */
export function secpaidConfigFor(name: string): SecPaidNamedConfigFactory {
  return createSecPaidConfig(`${NAMESPACE}:${name}`, secpaidEnvPrefixOf(name), {
    name,
  }) as SecPaidNamedConfigFactory;
}
