// Entry `nestjs-secpaid/testing`: SecPaidMockServer and its types.
export { SecPaidMockServer } from './secpaid-mock.server.js';
export { MockPaymentError } from './mock-payment.simulator.js';
export { encryptWebhookPayload } from './mock-webhook.sender.js';
export { buildMockWebhook } from './mock-webhook.builder.js';
export type { MockWebhookInput, MockWebhook } from './mock-webhook.builder.js';
export type { MockAccountSelector } from './mock-module.options.js';
export type { MockWebhookEvent } from './mock-webhook.sender.js';
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
  MockTaxInvoice,
  MockWebhookDelivery,
  MockWebhookFormat,
  SecPaidMockServerOptions,
} from './mock-server.types.js';
