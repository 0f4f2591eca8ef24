/** Where an order stands; only a webhook moves it out of `awaiting_payment`. */
export type OrderStatus = 'awaiting_payment' | 'paid' | 'cancelled' | 'amount_mismatch';

/** An order of the sample shop (kept in memory). */
export interface Order {
  /** The shop's own order number. */
  id: number;
  productId: string;
  productName: string;
  /** The SecPaid instance that sold it: `default` (the shop) or `merchant-b`. */
  merchant: string;
  /** EUR. */
  amount: number;
  /** The SecPaid link id; SecPaid's `pay_id` in webhooks and callbacks (unique per account). */
  linkId: number;
  /** The hosted payment page (`pay_link`). */
  payUrl: string;
  isSplit: boolean;
  status: OrderStatus;
  /** True when the package confirmed the payment with `getPayInTransactions`. */
  confirmed: boolean;
  createdAt: Date;
  updatedAt: Date;
}
