/**
 * Wiring of a Nest app to a running SecPaidMockServer: the `SecPaidModule.forRoot` options, or the
 * `SECPAID_*` variables `secpaidConfig` reads, for one of the mock's accounts. Typed structurally:
 * the mock imports nothing from the client (docs/architecture.md).
 */
import type { MockAccount, MockEnvironment } from '../secpaid-mock.types.js';

/** What the helpers need of a mock: its origin and its accounts. */
export interface MockWiringSource {
  readonly baseUrl: string;
  readonly accounts: readonly MockAccount[];
}

/** Which account to wire: an index into `mock.accounts` (default 0) or the account itself. */
export type MockAccountSelector = number | MockAccount;

/** The part of `SecPaidModuleOptions` that points the module at the mock. */
export interface MockModuleOptions {
  apiKey: string;
  environment: MockEnvironment;
  baseUrl: string;
}

/** Any further `SecPaidModuleOptions` (checked where the result is passed to `forRoot`). */
export interface MockModuleOverrides {
  webhooks?: { encryptionKey?: string; [option: string]: unknown };
  [option: string]: unknown;
}

/** The selected account; a clear error for an index the mock does not have. */
function selectAccount(mock: MockWiringSource, selector: MockAccountSelector = 0): MockAccount {
  if (typeof selector !== 'number') return selector;
  const account = Number.isInteger(selector) ? mock.accounts[selector] : undefined;
  if (account === undefined) {
    throw new RangeError(
      `The mock has ${mock.accounts.length} account(s); there is no account ${String(selector)}`,
    );
  }
  return account;
}

/**
 * `SecPaidModule.forRoot` options that talk to the mock as `account`: its key, the key's
 * environment and the mock's `baseUrl`, shallow-merged with `overrides`. When `overrides.webhooks`
 * is given without an `encryptionKey` and the account encrypts its webhooks, the account's key is
 * filled in, so the receiver can read what the mock sends.
 */
export function mockModuleOptions<const T extends MockModuleOverrides = Record<never, never>>(
  mock: MockWiringSource,
  overrides?: T,
  selector?: MockAccountSelector,
): MockModuleOptions & T {
  const account = selectAccount(mock, selector);
  const options = {
    apiKey: account.apiKey,
    environment: account.environment,
    baseUrl: mock.baseUrl,
    ...overrides,
  } as MockModuleOptions & T;
  const webhooks = overrides?.webhooks;
  if (
    webhooks !== undefined &&
    webhooks.encryptionKey === undefined &&
    account.encryptionKey !== undefined
  ) {
    (options as MockModuleOverrides).webhooks = {
      ...webhooks,
      encryptionKey: account.encryptionKey,
    };
  }
  return options;
}

/** Which variables `mock.env()` produces: an account, and the named instance they feed. */
export interface MockEnvSelector {
  /** The account (index into `mock.accounts`, default 0, or the account itself). */
  account?: MockAccountSelector;
  /**
   * A named instance (`secpaidConfigFor(name)`): the variables become `SECPAID_<NAME>_*`
   * (`merchant-b` -> `SECPAID_MERCHANT_B_API_KEY`, ...). Absent: the default `SECPAID_*`.
   */
  instance?: string;
}

/**
 * The instance-name rule and prefix of `secpaidEnvPrefixOf` (lib/options), written again here
 * because the mock imports nothing from the client (docs/architecture.md §1);
 * test/testing/server/mock-env.instance.spec.ts proves that both agree.
 */
const INSTANCE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** `SECPAID_` for the default instance, `SECPAID_MERCHANT_B_` for `merchant-b`. */
export function mockEnvPrefixOf(instance: string | undefined): string {
  if (instance === undefined) return 'SECPAID_';
  if (typeof instance !== 'string' || !INSTANCE_NAME.test(instance)) {
    throw new TypeError(
      'instance must start with a letter and have at most 64 letters, digits, "-" or "_"',
    );
  }
  return `SECPAID_${instance.toUpperCase().replace(/-/g, '_')}_`;
}

/**
 * The `SECPAID_*` variables that make `secpaidConfig` (and so an unchanged `AppModule` using
 * `SecPaidModule.forRootAsync(secpaidConfig.asProvider())`) talk to the mock as an account; with
 * `instance`, the `SECPAID_<NAME>_*` variables `secpaidConfigFor(instance)` reads.
 * `..._WEBHOOK_ENCRYPTION_KEY` is set only when the account encrypts its webhooks.
 */
export function mockEnvironmentVariables(
  mock: MockWiringSource,
  selector?: MockAccountSelector | MockEnvSelector,
): Record<string, string> {
  const { account: accountSelector, instance } =
    typeof selector === 'object' && !isMockAccount(selector)
      ? selector
      : { account: selector, instance: undefined };
  const prefix = mockEnvPrefixOf(instance);
  const account = selectAccount(mock, accountSelector);
  const variables: Record<string, string> = {
    [`${prefix}API_KEY`]: account.apiKey,
    [`${prefix}ENVIRONMENT`]: account.environment,
    [`${prefix}BASE_URL`]: mock.baseUrl,
  };
  if (account.encryptionKey !== undefined) {
    variables[`${prefix}WEBHOOK_ENCRYPTION_KEY`] = account.encryptionKey;
  }
  return variables;
}

/** An account object (it has an `apiKey`), as opposed to a `{ account?, instance? }` selector. */
function isMockAccount(value: MockAccountSelector | MockEnvSelector): value is MockAccount {
  return typeof value === 'object' && typeof (value as { apiKey?: unknown }).apiKey === 'string';
}
