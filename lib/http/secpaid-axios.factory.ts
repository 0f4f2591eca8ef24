import axios, { type AxiosInstance } from 'axios';
import { SECPAID_PACKAGE_VERSION } from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import { installAttemptDeadline } from './attempt-deadline.interceptor.js';
import { installErrorMappingInterceptor } from './error-mapping.interceptor.js';
import { SecPaidShutdownGate } from './shutdown.gate.js';
import { installTokenInterceptor } from './token.interceptor.js';

/**
 * Creates the module's own axios instance: SecPaid base URL, whole-attempt deadline, JSON, a
 * `User-Agent`, and the token/error interceptors. Never the global axios, so another module's
 * HttpService never sees SecPaid's key and two registrations never share headers.
 */
export function createSecPaidAxios(
  options: ResolvedSecPaidOptions,
  gate: SecPaidShutdownGate = new SecPaidShutdownGate(),
): AxiosInstance {
  const instance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    // Never follow redirects: SecPaid documents none, a 307/308 would replay a POST, and
    // follow-redirects forwards custom headers (our `token`) to the Location host. It also
    // skips the follow-redirects wrapper on every request (bench/: about 10% of client CPU).
    maxRedirects: 0,
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'User-Agent': `nestjs-secpaid/${SECPAID_PACKAGE_VERSION}`,
    },
  });
  // First: nothing is sent once the module is destroyed, and sent requests are awaited.
  gate.install(instance);
  installTokenInterceptor(instance, options.apiKey);
  // Before the error mapping (response interceptors run in order), after the limiter (request
  // interceptors run last-registered first): the deadline starts when the request is sent.
  installAttemptDeadline(instance);
  installErrorMappingInterceptor(instance, options.apiKey);
  return instance;
}
