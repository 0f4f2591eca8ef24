// Public entry of nestjs-secpaid. Internal tokens stay out of it on purpose.
export { SecPaidModule } from './secpaid.module.js';
export type {
  SecPaidModuleAsyncOptions,
  SecPaidModuleExtras,
  SecPaidModuleSyncOptions,
} from './secpaid.module-definition.js';
export {
  SECPAID_DEFAULTS,
  type SecPaidHealthOptions,
  type SecPaidModuleOptions,
  type SecPaidRateLimitOptions,
  type SecPaidWebhookOptions,
} from './options/secpaid-options.js';
export type { SecPaidApiKeyProvider } from './options/api-key.holder.js';
export {
  SECPAID_BASE_URLS,
  SECPAID_ENVIRONMENTS,
  SECPAID_PACKAGE_VERSION,
  type SecPaidEnvironment,
} from './secpaid.constants.js';
export {
  secpaidConfig,
  secpaidConfigFor,
  secpaidEnvPrefixOf,
  type SecPaidConfigFactory,
  type SecPaidNamedConfigFactory,
} from './options/secpaid-options.config.js';
export {
  InjectSecPaidHttpService,
  InjectSecPaidService,
} from './instances/secpaid-instance.tokens.js';
export {
  SECPAID_DEFAULT_INSTANCE,
  getSecPaidHttpServiceToken,
  getSecPaidServiceToken,
} from './instances/secpaid-instance.tokens.js';
export {
  SECPAID_REDIS_DEFAULTS,
  type SecPaidRedisClient,
  type SecPaidRedisOptions,
} from './options/secpaid-redis.options.js';
export { SecPaidRedisWebhookClaimStore } from './webhooks/stores/redis-webhook-claim.store.js';
export {
  SecPaidRedisPendingPaymentStore,
  type SecPaidRedisPendingPaymentStoreSettings,
} from './webhooks/stores/redis-pending-payment.store.js';
export type { SecPaidRequestContext } from './http/secpaid-request.context.js';
export { SecPaidService, type SecPaidApiKeyVerification } from './service/secpaid.service.js';
export type { SecPaidCallbackVerification } from './service/callback-verification.js';
export { SecPaidAmbiguousResultError } from './service/create-reconciliation.js';
export type { SecPaidCallOptions } from './http/request-executor.js';
export { SecPaidPaginator, type SecPaidToArrayOptions } from './service/list.paginator.js';
export * from './dto/index.js';
export * from './models/index.js';
export * from './webhooks/index.js';
export {
  SecPaidError,
  SecPaidValidationError,
  type SecPaidValidationIssue,
  SecPaidConfigurationError,
  SecPaidApiError,
  SecPaidAuthenticationError,
  SecPaidNotFoundError,
  SecPaidRateLimitError,
  SecPaidServerError,
  SecPaidConnectionError,
  SecPaidTimeoutError,
  SecPaidUnexpectedResponseError,
  SecPaidWebhookError,
} from './core/secpaid.errors.js';
export * from './observability/index.js';
export { SecPaidSecret, isSecPaidSecret, type SecPaidSecretSource } from './core/secret.value.js';
