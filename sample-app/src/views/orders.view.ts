import type { SecPaidCallbackVerification } from 'nestjs-secpaid';
import type { Order, OrderStatus } from '../orders/order.model.js';
import { escapeHtml, formatEur, layout } from './layout.view.js';

const STATUS_TEXT: Record<OrderStatus, string> = {
  awaiting_payment: 'Awaiting payment',
  paid: 'Paid',
  cancelled: 'Cancelled',
  amount_mismatch: 'Amount mismatch',
};

function statusBadge(order: Order): string {
  return `<span class="status status-${order.status}" id="order-status" data-status="${order.status}">${STATUS_TEXT[order.status]}</span>`;
}

/** The orders page: every order with its status, newest first. */
export function ordersPage(orders: readonly Order[]): string {
  const rows = orders
    .map(
      (order) => `<tr data-order="${order.id}">
<td><a href="/orders/${order.id}">#${order.id}</a></td>
<td>${escapeHtml(order.productName)}${order.isSplit ? ' (split)' : ''}</td>
<td>${formatEur(order.amount)}</td>
<td>${order.linkId}</td>
<td><span class="status status-${order.status}">${STATUS_TEXT[order.status]}</span></td>
<td>${order.updatedAt.toISOString()}</td>
</tr>`,
    )
    .join('\n');
  const table = orders.length
    ? `<table><thead><tr><th>Order</th><th>Product</th><th>Amount</th><th>SecPaid link</th><th>Status</th><th>Updated</th></tr></thead>
<tbody>
${rows}
</tbody></table>`
    : '<p>No orders yet.</p>';
  return layout('Orders', `<h1>Orders</h1>\n${table}`);
}

/**
 * One order. `verified` is what SecPaid's API says about the payment the browser came back
 * from (`verifyCallback`), never what the redirect URL claims; the order's own status still
 * comes from the webhook.
 */
export function orderPage(order: Order, verified?: SecPaidCallbackVerification['status']): string {
  let heading = `Order #${order.id}`;
  let hint = '';
  let refresh: number | undefined;
  if (verified === 'paid') heading = 'Thank you for your order';
  if (verified === 'cancelled') heading = 'Payment cancelled';
  if (verified === 'pending' || (verified === 'paid' && order.status === 'awaiting_payment')) {
    // SecPaid shows no payment yet, or the webhook has not arrived: reload until it does.
    hint = `<p class="note" id="waiting">Waiting for SecPaid's confirmation of the payment...</p>`;
    refresh = 2;
  }
  if (verified === 'unknown') {
    hint = `<p class="note" id="unverified">SecPaid does not confirm a payment for this link.</p>`;
  }
  const confirmed = order.confirmed
    ? '<p class="note">Confirmed with the SecPaid API (getPayInTransactions).</p>'
    : '';
  const payAgain =
    order.status === 'awaiting_payment' && verified === undefined
      ? `<p><a href="${escapeHtml(order.payUrl)}">Open the payment page</a></p>`
      : '';
  return layout(
    `Order #${order.id}`,
    `<h1>${escapeHtml(heading)}</h1>
<table class="details">
<tr><th>Order</th><td id="order-id">#${order.id}</td></tr>
<tr><th>Product</th><td>${escapeHtml(order.productName)}${order.isSplit ? ' (split link)' : ''}</td></tr>
<tr><th>Amount</th><td>${formatEur(order.amount)}</td></tr>
<tr><th>SecPaid link</th><td>${order.linkId}</td></tr>
<tr><th>Status</th><td>${statusBadge(order)}</td></tr>
</table>
${hint}${confirmed}${payAgain}
<p><a href="/">Continue shopping</a> | <a href="/orders">All orders</a></p>`,
    refresh,
  );
}

/** The callback named a payment this shop does not know. */
export function unknownOrderPage(): string {
  return layout(
    'Order not found',
    '<h1>Order not found</h1><p><a href="/orders">All orders</a></p>',
  );
}
