import { SecPaidMockServer } from 'nestjs-secpaid/testing';
import { CALLBACK_PATH, WEBHOOK_PATH, type ShopSettings } from './shop.settings.js';

/**
 * Starts the package's SecPaid mock in-process and points the `SECPAID_*` variables at it, so
 * the app configures `SecPaidModule` exactly as it would for the real API
 * (`secpaidConfig.asProvider()`). Used only when `SECPAID_API_KEY` is not set.
 *
 * The mock gets two accounts: the shop (whose profile lists this app's webhook URL) and a
 * partner whose recipient token receives a share of the split product.
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
    ],
  });
  const [shop, partner] = mock.accounts;
  if (shop === undefined || partner === undefined) throw new Error('mock accounts missing');
  // SECPAID_API_KEY, SECPAID_ENVIRONMENT and SECPAID_BASE_URL of the shop's account.
  Object.assign(process.env, mock.env(shop));
  return {
    mock,
    settings: {
      ...settings,
      splitRecipientToken: partner.recipientToken,
      embeddedMockUrl: mock.baseUrl,
    },
  };
}
