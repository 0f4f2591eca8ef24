import { Injectable } from '@nestjs/common';
import type { Order, OrderStatus } from './order.model.js';

/** What a new order needs; the store assigns id, status and timestamps. */
export type NewOrder = Pick<
  Order,
  'productId' | 'productName' | 'amount' | 'linkId' | 'payUrl' | 'isSplit'
>;

/** In-memory orders, looked up by order number or by SecPaid link id. */
@Injectable()
export class OrdersStore {
  private readonly orders = new Map<number, Order>();
  private readonly byLinkId = new Map<number, Order>();
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
    this.byLinkId.set(order.linkId, order);
    return order;
  }

  get(id: number): Order | undefined {
    return this.orders.get(id);
  }

  findByLinkId(linkId: number): Order | undefined {
    return this.byLinkId.get(linkId);
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
