import { Injectable } from '@nestjs/common';
import type { Order, OrderStatus } from './order.model.js';

/** What a new order needs; the store assigns id, status and timestamps. */
export type NewOrder = Pick<
  Order,
  'productId' | 'productName' | 'merchant' | 'amount' | 'linkId' | 'payUrl' | 'isSplit'
>;

/**
 * In-memory orders, looked up by order number or by SecPaid link id. Link ids are unique per
 * SecPaid account only, so webhook look-ups name the merchant too.
 */
@Injectable()
export class OrdersStore {
  private readonly orders = new Map<number, Order>();
  private readonly byLink = new Map<string, Order>();
  private nextId = 1001;

  add(input: NewOrder): Order {
    const now = new Date();
    const order: Order = {
      ...input,
      id: this.nextId++,
      status: 'awaiting_payment',
      confirmed: false,
      createdAt: now,
      updatedAt: now,
    };
    this.orders.set(order.id, order);
    this.byLink.set(linkKey(order.merchant, order.linkId), order);
    return order;
  }

  get(id: number): Order | undefined {
    return this.orders.get(id);
  }

  /** The order of `merchant`'s link (the webhook's `event.instance` and `payId`). */
  findByLink(merchant: string, linkId: number): Order | undefined {
    return this.byLink.get(linkKey(merchant, linkId));
  }

  /** Any merchant's order of this link id (the browser callback, which names no merchant). */
  findByLinkId(linkId: number): Order | undefined {
    return [...this.orders.values()].find((order) => order.linkId === linkId);
  }

  /** Newest first. */
  list(): Order[] {
    return [...this.orders.values()].reverse();
  }

  setStatus(order: Order, status: OrderStatus, confirmed: boolean): void {
    order.status = status;
    order.confirmed = confirmed;
    order.updatedAt = new Date();
  }
}

function linkKey(merchant: string, linkId: number): string {
  return `${merchant}:${linkId}`;
}
