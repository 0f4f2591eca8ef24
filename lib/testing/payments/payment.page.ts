/** The plain-HTML hosted payment page (`GET /payment?link_id=...`) and the result page. */
import type { MockLink } from '../secpaid-mock.types.js';
import { escapeHtml } from '../server/http.util.js';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}button{font-size:1rem;margin:.25rem .5rem .25rem 0}form{display:inline}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The payment page: amount, note, Pay, Fail (a declined payment: the `Failed` webhook, then the
 * redirect with `status=failed`) and, when the link is cancellable, Cancel.
 */
export function paymentPageHtml(link: MockLink, encodedLinkId: string): string {
  const amount = `${link.amount.toFixed(2)} EUR`;
  if (link.status !== 'Unused') {
    return page(
      'SecPaid mock payment',
      `<h1>${amount}</h1><p>This link is ${escapeHtml(link.status.toLowerCase())}.</p>`,
    );
  }
  const hidden = `<input type="hidden" name="link_id" value="${escapeHtml(encodedLinkId)}">`;
  const cancel = link.cancellable
    ? `<form method="post" action="/payment/cancel">${hidden}<button type="submit" id="cancel">Cancel</button></form>`
    : '';
  return page(
    'SecPaid mock payment',
    `<h1 id="amount">${amount}</h1>
<p id="note">${escapeHtml(link.note)}</p>
<form method="post" action="/payment/pay">${hidden}<button type="submit" id="pay">Pay</button></form>
${cancel}
<form method="post" action="/payment/fail">${hidden}<button type="submit" id="fail">Fail</button></form>`,
  );
}

/** Shown when a link does not exist or was deleted. */
export function notFoundPageHtml(): string {
  return page('Link not found', '<h1>Link not found</h1>');
}

/** The mock's own result page, used when a link has no callback URL. */
export function resultPageHtml(status: string, payId: string): string {
  const text =
    status === 'success'
      ? 'Payment successful'
      : status === 'failed'
        ? 'Payment failed'
        : 'Payment cancelled';
  return page(text, `<h1 id="status">${text}</h1><p>Payment ${escapeHtml(payId)}</p>`);
}
