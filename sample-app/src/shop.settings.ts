/** What the shop needs to know about itself, resolved once in main.ts. */
export interface ShopSettings {
  /** The port the app listens on. */
  port: number;
  /** Origin SecPaid redirects browsers to and posts webhooks to (`PUBLIC_URL`). */
  publicUrl: string;
  /** Recipient token that gets a share of the split product; the product is hidden without it. */
  splitRecipientToken?: string;
  /** Set when the app runs on the embedded SecPaid mock (no `SECPAID_API_KEY`). */
  embeddedMockUrl?: string;
  /**
   * True when the second merchant's SecPaid account is configured (`SECPAID_MERCHANT_B_*`
   * variables, always on the embedded mock); its product is hidden otherwise.
   */
  merchantB: boolean;
}

/** Injection token of {@link ShopSettings}. */
export const SHOP_SETTINGS = Symbol('SHOP_SETTINGS');

/** Route of the package's webhook controller (the module's `webhooks.path`). */
export const WEBHOOK_PATH = 'secpaid/webhook';

/** The second merchant's SecPaid instance: `forRootAsync(secpaidConfigFor(MERCHANT_B)...)`. */
export const MERCHANT_B = 'merchant-b';

/** The second merchant's webhook route: each SecPaid instance has a route of its own. */
export const MERCHANT_B_WEBHOOK_PATH = 'secpaid/merchant-b/webhook';

/** Route SecPaid redirects the browser to after Pay or Cancel. */
export const CALLBACK_PATH = 'orders/callback';

/** `PORT` (default 3000) as a number; anything else fails start-up with a clear message. */
export function portFromEnv(value = process.env['PORT']): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be a number between 1 and 65535, got "${value}"`);
  }
  return port;
}

/**
 * Reads the shop's own variables: `PUBLIC_URL`, `SHOP_SPLIT_RECIPIENT_TOKEN`, and whether
 * `SECPAID_MERCHANT_B_API_KEY` configures the second merchant.
 */
export function shopSettingsFromEnv(port: number): ShopSettings {
  const publicUrl = (process.env['PUBLIC_URL'] ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  const splitRecipientToken = process.env['SHOP_SPLIT_RECIPIENT_TOKEN'] || undefined;
  const merchantB = !!process.env['SECPAID_MERCHANT_B_API_KEY'];
  return { port, publicUrl, splitRecipientToken, merchantB };
}
