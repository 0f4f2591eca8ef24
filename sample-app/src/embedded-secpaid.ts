import { SecPaidMockServer } from 'nestjs-secpaid/testing';
import {
  CALLBACK_PATH,
  MERCHANT_B,
  MERCHANT_B_WEBHOOK_PATH,
  WEBHOOK_PATH,
  type ShopSettings,
} from './shop.settings.js';

/**
 * Starts the package's SecPaid mock in-process and points the `SECPAID_*` variables at it, so
 * the app configures `SecPaidModule` exactly as it would for the real API
 * (`secpaidConfig.asProvider()`). Used only when `SECPAID_API_KEY` is not set.
 *
 * The mock gets three accounts: the shop (whose profile lists this app's webhook URL), a
 * partner whose recipient token receives a share of the split product, and a second merchant
 * selling through the same app with its own key, webhook route and readiness probe
 * (`SECPAID_MERCHANT_B_*`, read by `secpaidConfigFor('merchant-b')`).
 */
export async function startEmbeddedSecPaid(
  settings: ShopSettings,
): Promise<{ mock: SecPaidMockServer; settings: ShopSettings }> {
  const mock = await SecPaidMockServer.start({
    environment: 'development',
    accounts: [
      {
        paymentEndpoints: [`${settings.publicUrl}/${WEBHOOK_PATH}`],
        callbackUrls: [`${settings.publicUrl}/${CALLBACK_PATH}`],
      },
      {},
      {
        paymentEndpoints: [`${settings.publicUrl}/${MERCHANT_B_WEBHOOK_PATH}`],
        callbackUrls: [`${settings.publicUrl}/${CALLBACK_PATH}`],
      },
    ],
  });
  const [shop, partner, merchantB] = mock.accounts;
  if (shop === undefined || partner === undefined || merchantB === undefined) {
    throw new Error('mock accounts missing');
  }
  // SECPAID_API_KEY, SECPAID_ENVIRONMENT and SECPAID_BASE_URL of the shop's account.
  Object.assign(process.env, mock.env(shop));
  // The same variables of the second merchant's account, as SECPAID_MERCHANT_B_*.
  Object.assign(process.env, mock.env({ account: merchantB, instance: MERCHANT_B }));
  return {
    mock,
    settings: {
      ...settings,
      splitRecipientToken: partner.recipientToken,
      embeddedMockUrl: mock.baseUrl,
      merchantB: true,
    },
  };
}
