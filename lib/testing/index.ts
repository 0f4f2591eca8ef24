// Entry `nestjs-secpaid/testing`: SecPaidMockServer and its types.
export { SecPaidMockServer } from './server/secpaid-mock.server.js';
export { MockPaymentError } from './payments/payment.simulator.js';
export { encryptWebhookPayload } from './payments/webhook.sender.js';
export { buildMockWebhook } from './payments/webhook.builder.js';
export type { MockWebhookInput, MockWebhook } from './payments/webhook.builder.js';
export type {
  MockAccountSelector,
  MockEnvSelector,
  MockModuleOptions,
  MockModuleOverrides,
} from './server/module-options.factory.js';
export type { MockWebhookEvent } from './payments/webhook.sender.js';
export type {
  MockAccount,
  MockAccountSeed,
  MockEnvironment,
  MockFault,
  MockLink,
  MockLinkStatus,
  MockPayIn,
  MockPaymentOptions,
  MockPaymentResult,
  MockPayout,
  MockRecipient,
  MockRefund,
  MockRequestRecord,
  MockResendOptions,
  MockTaxInvoice,
  MockWebhookDelivery,
  MockWebhookFormat,
  SecPaidMockServerOptions,
} from './secpaid-mock.types.js';
