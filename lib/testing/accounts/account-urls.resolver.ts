/**
 * Which URLs a link's `callback_url` / `payment_endpoint` value stands for: a link may name URLs
 * itself or point at its account's profile lists by zero-based index.
 */
import type { MockAccount, MockLink } from '../secpaid-mock.types.js';

/**
 * Resolves a `payment_endpoint` / `callback_url` value: a URL, a zero-based index into the
 * account's list, or a comma-separated mix. Unknown indices are skipped.
 */
export function resolveUrlList(spec: string, accountList: readonly string[]): string[] {
  const urls: string[] = [];
  for (const part of spec.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    if (/^\d+$/.test(item)) {
      const url = accountList[Number(item)];
      if (url !== undefined) urls.push(url);
    } else {
      urls.push(item);
    }
  }
  return urls;
}

/** The link's `callback_url` value, else the account's first callback URL (`''` when none). */
export function callbackUrlValue(link: MockLink, account: MockAccount): string {
  return link.callbackUrl !== '' ? link.callbackUrl : (account.callbackUrls[0] ?? '');
}

/** The link's `payment_endpoint` value, else the account's first payment endpoint (`''` when none). */
export function paymentEndpointValue(link: MockLink, account: MockAccount): string {
  return link.paymentEndpoint !== '' ? link.paymentEndpoint : (account.paymentEndpoints[0] ?? '');
}

/** Where a link's webhooks go: its own endpoint(s), else the account's first payment endpoint. */
export function webhookUrlsOf(link: MockLink, account: MockAccount): string[] {
  if (link.paymentEndpoint !== '') {
    return resolveUrlList(link.paymentEndpoint, account.paymentEndpoints);
  }
  return account.paymentEndpoints.slice(0, 1);
}

/** Where the payer's browser goes: the first URL the callback value resolves to, if any. */
export function redirectTargetOf(link: MockLink, account: MockAccount): string | undefined {
  return resolveUrlList(callbackUrlValue(link, account), account.callbackUrls)[0];
}
