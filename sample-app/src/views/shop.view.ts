import type { Product } from '../shop/products.catalog.js';
import { escapeHtml, formatEur, layout } from './layout.view.js';

/** One product as the shop page shows it. */
export interface ShopItem {
  product: Product;
  available: boolean;
}

/** The shop page: one card per product, each with a Pay button posting to `/checkout`. */
export function shopPage(items: readonly ShopItem[], environmentNote: string): string {
  const cards = items
    .map(({ product, available }) => {
      const split =
        product.partnerSharePercent === undefined
          ? ''
          : `<p class="note">Split link: ${product.partnerSharePercent} % goes to the trainer.</p>`;
      const button = available
        ? `<button type="submit" id="pay-${escapeHtml(product.id)}">Pay ${formatEur(product.price)}</button>`
        : `<button type="submit" disabled>Needs SHOP_SPLIT_RECIPIENT_TOKEN</button>`;
      return `<form class="card" method="post" action="/checkout">
<h3>${escapeHtml(product.name)}</h3>
<p>${escapeHtml(product.description)}</p>
<p class="price">${formatEur(product.price)}</p>${split}
<input type="hidden" name="productId" value="${escapeHtml(product.id)}">
${button}
</form>`;
    })
    .join('\n');
  return layout(
    'Shop',
    `<h1>Shop</h1>
<p class="note">${escapeHtml(environmentNote)}</p>
<div class="products">
${cards}
</div>`,
  );
}

/** Shown when creating the payment link failed. */
export function checkoutErrorPage(message: string): string {
  return layout(
    'Checkout failed',
    `<h1>Checkout failed</h1><p class="error" id="error">${escapeHtml(message)}</p><p><a href="/">Back to the shop</a></p>`,
  );
}
