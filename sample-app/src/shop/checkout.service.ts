import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  InjectSecPaidService,
  SECPAID_DEFAULT_INSTANCE,
  SecPaidService,
  type PaymentLink,
} from 'nestjs-secpaid';
import type { Order } from '../orders/order.model.js';
import { OrdersStore } from '../orders/orders.store.js';
import {
  CALLBACK_PATH,
  MERCHANT_B,
  MERCHANT_B_WEBHOOK_PATH,
  SHOP_SETTINGS,
  WEBHOOK_PATH,
  type ShopSettings,
} from '../shop.settings.js';
import type { Product } from './products.catalog.js';

/** Turns a product into an order with a SecPaid payment link. */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger(CheckoutService.name);

  constructor(
    private readonly secpaid: SecPaidService,
    // Registered only when the second merchant is configured.
    @Optional() @InjectSecPaidService(MERCHANT_B) private readonly merchantB: SecPaidService | null,
    private readonly orders: OrdersStore,
    @Inject(SHOP_SETTINGS) private readonly settings: ShopSettings,
  ) {}

  /**
   * Whether the product can be sold here (a split product needs a partner token, the second
   * merchant's product its SecPaid account).
   */
  isAvailable(product: Product): boolean {
    if (product.merchant === MERCHANT_B) return !!this.merchantB;
    return product.partnerSharePercent === undefined || !!this.settings.splitRecipientToken;
  }

  /** Creates the payment link (a split link for partner products) and records the order. */
  async checkout(product: Product): Promise<Order> {
    const merchantB = product.merchant === MERCHANT_B ? this.merchantB : null;
    const common = {
      amount: product.price,
      note: `Sample shop: ${product.name}`,
      // Where SecPaid sends the browser after Pay/Cancel, and where it posts the webhook (each
      // merchant's account to its own route, which confirms with that account's key).
      callbackUrl: `${this.settings.publicUrl}/${CALLBACK_PATH}`,
      paymentEndpoint: `${this.settings.publicUrl}/${merchantB ? MERCHANT_B_WEBHOOK_PATH : WEBHOOK_PATH}`,
    };
    let link: PaymentLink;
    if (merchantB) {
      link = await merchantB.createLink(common);
    } else if (product.partnerSharePercent !== undefined && this.settings.splitRecipientToken) {
      link = await this.secpaid.createSplitLink({
        ...common,
        splitType: 'normal',
        recipients: [
          { token: this.settings.splitRecipientToken, share: product.partnerSharePercent },
        ],
      });
    } else {
      link = await this.secpaid.createLink(common);
    }
    const order = this.orders.add({
      productId: product.id,
      productName: product.name,
      merchant: merchantB ? MERCHANT_B : SECPAID_DEFAULT_INSTANCE,
      amount: product.price,
      linkId: link.id,
      payUrl: link.url,
      isSplit: link.isSplit,
    });
    this.logger.log(`Order ${order.id}: link ${link.id} created for ${product.price} EUR`);
    return order;
  }
}
