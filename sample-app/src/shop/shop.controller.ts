import { Body, Controller, Get, Header, Inject, Post, Res } from '@nestjs/common';
import { SecPaidError, SecPaidValidationError } from 'nestjs-secpaid';
import { SHOP_SETTINGS, type ShopSettings } from '../shop.settings.js';
import type { HtmlResponse } from '../views/html-response.js';
import { checkoutErrorPage, shopPage } from '../views/shop.view.js';
import { CheckoutService } from './checkout.service.js';
import { PRODUCTS, findProduct } from './products.catalog.js';

/** The shop page and the Pay button's target. */
@Controller()
export class ShopController {
  constructor(
    private readonly checkoutService: CheckoutService,
    @Inject(SHOP_SETTINGS) private readonly settings: ShopSettings,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  shop(): string {
    const note = this.settings.embeddedMockUrl
      ? `Payments go to the embedded SecPaid mock at ${this.settings.embeddedMockUrl}: no money moves.`
      : 'Payments go to the SecPaid environment configured in SECPAID_ENVIRONMENT.';
    const items = PRODUCTS.map((product) => ({
      product,
      available: this.checkoutService.isAvailable(product),
    }));
    return shopPage(items, note);
  }

  /** Creates the order and its payment link, then sends the browser to SecPaid's payment page. */
  @Post('checkout')
  async checkout(@Body() body: { productId?: unknown }, @Res() res: HtmlResponse): Promise<void> {
    const product = findProduct(String(body?.productId ?? ''));
    if (product === undefined || !this.checkoutService.isAvailable(product)) {
      res.status(404).type('html').send(checkoutErrorPage('Unknown product.'));
      return;
    }
    try {
      const order = await this.checkoutService.checkout(product);
      res.redirect(303, order.payUrl);
    } catch (error) {
      // SecPaid errors never contain the API key, so their message is safe to show.
      if (!(error instanceof SecPaidError)) throw error;
      const status = error instanceof SecPaidValidationError ? 400 : 502;
      res.status(status).type('html').send(checkoutErrorPage(error.message));
    }
  }
}
