/**
 * Per-request settings read by the module's interceptors. Pass it as the `secpaid` field of an
 * axios request config when calling the injected HttpService directly.
 * @publicApi
 */
export interface SecPaidRequestContext {
  /** Use this key instead of the module's for this one request (platforms acting for merchants). */
  apiKey?: string;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** nestjs-secpaid: per-request settings (see `SecPaidRequestContext`). */
    secpaid?: SecPaidRequestContext;
  }
}
