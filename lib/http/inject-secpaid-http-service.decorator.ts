import { Inject } from '@nestjs/common';
import { SECPAID_HTTP_SERVICE } from '../secpaid.constants.js';

/**
 * Injects the module's configured `HttpService` (base URL, timeout, `token` header) for raw
 * calls to endpoints `SecPaidService` does not wrap.
 * @publicApi
 */
export const InjectSecPaidHttpService = (): ParameterDecorator & PropertyDecorator =>
  Inject(SECPAID_HTTP_SERVICE);
