import { Controller, Get, Header, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import type { HtmlResponse } from '../views/html-response.js';
import { orderPage, ordersPage, unknownOrderPage } from '../views/orders.view.js';
import { OrdersStore } from './orders.store.js';

/** The orders list, one order, and the page SecPaid redirects the browser to. */
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersStore) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  list(): string {
    return ordersPage(this.orders.list());
  }

  /**
   * SecPaid's redirect after Pay/Cancel: `?pay_id=&user_id=&status=success|cancel`. Anyone can
   * call this URL, so it never changes an order; it shows what the webhook has set.
   */
  @Get('callback')
  @Header('content-type', 'text/html; charset=utf-8')
  callback(
    @Res({ passthrough: true }) res: HtmlResponse,
    @Query('pay_id') payId?: string,
    @Query('status') status?: string,
  ): string {
    const order = /^\d+$/.test(payId ?? '') ? this.orders.findByLinkId(Number(payId)) : undefined;
    if (order === undefined) {
      res.status(404);
      return unknownOrderPage();
    }
    return orderPage(order, status === 'success' || status === 'cancel' ? status : 'unknown');
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
