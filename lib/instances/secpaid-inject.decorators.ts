import { Inject } from '@nestjs/common';
import { getSecPaidHttpServiceToken, getSecPaidServiceToken } from './secpaid-instance.tokens.js';

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
