import { Controller, Get, Header, Optional, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import { InjectSecPaidService, SecPaidService } from 'nestjs-secpaid';
import { MERCHANT_B } from '../shop.settings.js';
import type { HtmlResponse } from '../views/html-response.js';
import { orderPage, ordersPage, unknownOrderPage } from '../views/orders.view.js';
import { OrdersStore } from './orders.store.js';

/** The orders list, one order, and the page SecPaid redirects the browser to. */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersStore,
    private readonly secpaid: SecPaidService,
    // Registered only when the second merchant is configured.
    @Optional() @InjectSecPaidService(MERCHANT_B) private readonly merchantB: SecPaidService | null,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  list(): string {
    return ordersPage(this.orders.list());
  }

  /**
   * SecPaid's redirect after Pay/Cancel: `?pay_id=&user_id=&status=success|cancel`. Anyone can
   * type this URL, so it never changes an order, and its `status` is never believed: the page
   * asks SecPaid (`verifyCallback`) what became of the payment and shows that.
   */
  @Get('callback')
  @Header('content-type', 'text/html; charset=utf-8')
  async callback(
    @Res({ passthrough: true }) res: HtmlResponse,
    @Query() query: Record<string, unknown>,
  ): Promise<string> {
    const payId = String(query['pay_id'] ?? '');
    const order = /^\d+$/.test(payId) ? this.orders.findByLinkId(Number(payId)) : undefined;
    if (order === undefined) {
      res.status(404);
      return unknownOrderPage();
    }
    // The account that created the link answers for it.
    const secpaid = order.merchant === MERCHANT_B && this.merchantB ? this.merchantB : this.secpaid;
    const { status } = await secpaid.verifyCallback(query);
    return orderPage(order, status);
  }

  @Get(':id')
  @Header('content-type', 'text/html; charset=utf-8')
  show(
    @Param('id', ParseIntPipe) id: number,
    @Res({ passthrough: true }) res: HtmlResponse,
  ): string {
    const order = this.orders.get(id);
    if (order === undefined) {
      res.status(404);
      return unknownOrderPage();
    }
    return orderPage(order);
  }
}
