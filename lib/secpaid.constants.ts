/** Package version, sent in the `User-Agent` header (a test keeps it equal to package.json). */
export const SECPAID_PACKAGE_VERSION = '0.1.0';

/** The two SecPaid environments; each has its own API keys. */
export const SECPAID_ENVIRONMENTS = ['production', 'development'] as const;

/** A SecPaid environment. A key of one environment is rejected by the other. */
export type SecPaidEnvironment = (typeof SECPAID_ENVIRONMENTS)[number];

/** Origins of the two environments; the client appends `/api/v2/<endpoint>`. */
export const SECPAID_BASE_URLS: Readonly<Record<SecPaidEnvironment, string>> = {
  production: 'https://app.secpaid.com',
  development: 'https://app.dev.secpaid.com',
};

/** Path prefix of every v2 endpoint. */
export const SECPAID_API_PREFIX = '/api/v2/';

// Every token is a `Symbol.for` (a process-wide registry key), so the ESM build and the CommonJS
// build (dist/cjs) agree on it when an app loads both.

/** Injection token of the module's own configured HttpService (internal; use the decorator). */
export const SECPAID_HTTP_SERVICE = Symbol.for('nestjs-secpaid:http-service');

/** Injection token of the validated options with every default applied (internal). */
export const SECPAID_RESOLVED_OPTIONS = Symbol.for('nestjs-secpaid:resolved-options');

/**
 * Name of the instance registered without `name`. `forRoot({ name: 'default' })` is the same
 * registration as `forRoot({})`.
 * @publicApi
 */
export const SECPAID_DEFAULT_INSTANCE = 'default';

/** Injection token of a registration's instance name, `'default'` without `name` (internal). */
export const SECPAID_INSTANCE_NAME = Symbol.for('nestjs-secpaid:instance-name');

/** Injection token of a registration's own `SecPaidService`, whatever its name (internal). */
export const SECPAID_INSTANCE_SERVICE = Symbol.for('nestjs-secpaid:instance-service');

/** Injection token of a registration's `SecPaidInstance` handle (internal). */
export const SECPAID_INSTANCE = Symbol.for('nestjs-secpaid:instance');
