import { Inject, type InjectionToken } from '@nestjs/common';
import { SECPAID_DEFAULT_INSTANCE, SECPAID_HTTP_SERVICE } from '../secpaid.constants.js';
import { SecPaidService } from '../service/secpaid.service.js';

export { SECPAID_DEFAULT_INSTANCE };

/** `undefined` and `'default'` are the default instance; any other name is itself. */
export function secpaidInstanceName(name?: string): string {
  return name === undefined ? SECPAID_DEFAULT_INSTANCE : name;
}

/** True for the default instance (no name, or `'default'`). */
export function isDefaultSecPaidInstance(name?: string): boolean {
  return secpaidInstanceName(name) === SECPAID_DEFAULT_INSTANCE;
}

/**
 * Injection token of an instance's `SecPaidService`, for `app.get()`, `moduleRef.get()` and
 * `Test.overrideProvider()`. Without a name (or with `'default'`) it is the `SecPaidService`
 * class itself, so class injection of the default instance keeps working.
 *
 * ```ts
 * const merchantA = app.get<SecPaidService>(getSecPaidServiceToken('merchant-a'));
 * ```
 * @publicApi
 */
export function getSecPaidServiceToken(name?: string): InjectionToken {
  return isDefaultSecPaidInstance(name)
    ? SecPaidService
    : Symbol.for(`nestjs-secpaid:service:${name}`);
}

/**
 * Injection token of an instance's configured `HttpService` (base URL, timeout, `token` header,
 * rate budget), the one `@InjectSecPaidHttpService(name?)` injects.
 * @publicApi
 */
export function getSecPaidHttpServiceToken(name?: string): InjectionToken {
  return isDefaultSecPaidInstance(name)
    ? SECPAID_HTTP_SERVICE
    : Symbol.for(`nestjs-secpaid:http-service:${name}`);
}

/**
 * Injects the `SecPaidService` of a named instance (`forRoot({ name })`); without a name, the
 * default instance's (the same as injecting the `SecPaidService` class).
 *
 * ```ts
 * constructor(@InjectSecPaidService('merchant-a') private readonly merchantA: SecPaidService) {}
 * ```
 * @publicApi
 */
export const InjectSecPaidService = (name?: string): ParameterDecorator & PropertyDecorator =>
  Inject(getSecPaidServiceToken(name));

/**
 * Injects an instance's configured `HttpService` (base URL, timeout, `token` header, rate
 * budget) for raw calls to endpoints `SecPaidService` does not wrap; without a name, the
 * default instance's.
 * @publicApi
 */
export const InjectSecPaidHttpService = (name?: string): ParameterDecorator & PropertyDecorator =>
  Inject(getSecPaidHttpServiceToken(name));
