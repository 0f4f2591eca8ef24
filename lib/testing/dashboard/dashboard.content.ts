/**
 * The dashboard's live part: the mock's state as an HTML fragment, one section per account
 * (masked key, links, pay-ins and refunds, webhook deliveries). Rendered on the server, so every
 * value passes through one escape; the page's script only swaps the fragment in.
 */
import type {
  MockAccount,
  MockLink,
  MockPayIn,
  MockRefund,
  MockWebhookDelivery,
} from '../secpaid-mock.types.js';
import { escapeHtml } from '../server/http.util.js';

/** Rows shown per table (newest first); the state itself may hold more. */
export const DASHBOARD_ROWS_PER_TABLE = 50;

/** What the fragment shows. */
export interface DashboardSnapshot {
  environment: string;
  baseUrl: string;
  /** Requests per minute per key, or `false`. */
  rateLimit: number | false;
  pendingFaults: number;
  accounts: readonly MockAccount[];
  links: readonly MockLink[];
  payIns: readonly MockPayIn[];
  refunds: readonly MockRefund[];
  deliveries: readonly MockWebhookDelivery[];
}

/** `abcd••••••••wxyz`: enough to tell keys apart on screen, not enough to read one off it. */
export function maskApiKey(key: string): string {
  if (key.length <= 8) return '•'.repeat(key.length);
  return `${key.slice(0, 4)}${'•'.repeat(8)}${key.slice(-4)}`;
}

const text = (value: unknown): string => escapeHtml(String(value));

/** `12:34:56` (UTC), the full ISO time in the tooltip. */
function time(date: Date | undefined): string {
  if (date === undefined) return '';
  const iso = date.toISOString();
  return `<time datetime="${iso}" title="${iso}">${iso.slice(11, 19)}</time>`;
}

function euros(amount: number): string {
  return `${amount.toFixed(2)}&nbsp;EUR`;
}

function button(action: string, id: number, label: string, extra = ''): string {
  return `<button type="button" id="${action}-${id}" data-action="${action}" data-id="${id}"${extra}>${label}</button>`;
}

/** A table in a horizontally scrolling box (narrow windows), or a line saying it is empty. */
function table<T>(
  caption: string,
  rows: readonly T[],
  head: string[],
  row: (item: T) => string,
): string {
  if (rows.length === 0) return `<p class="empty">No ${caption.toLowerCase()} yet.</p>`;
  const shown = rows.slice(-DASHBOARD_ROWS_PER_TABLE).reverse();
  const more =
    rows.length > shown.length
      ? ` (newest ${shown.length} of ${rows.length})`
      : ` (${rows.length})`;
  return `<div class="scroll"><table>
<caption>${caption}${more}</caption>
<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
<tbody>
${shown.map(row).join('\n')}
</tbody></table></div>`;
}

function linkRow(link: MockLink): string {
  const actions =
    link.status === 'Unused'
      ? [
          button('pay', link.id, 'Pay'),
          button(
            'pay-later',
            link.id,
            'Pay, visible later…',
            ' data-prompt="Show the pay-in in the API after how many ms?" data-default="5000"',
          ),
          link.cancellable ? button('cancel', link.id, 'Cancel') : '',
          button('fail', link.id, 'Fail'),
        ].join(' ')
      : '';
  const failed = link.failedAt ? ` <span class="tag bad">failed attempt</span>` : '';
  return `<tr data-link="${link.id}"><td>${link.id}</td><td class="num">${euros(link.amount)}</td>
<td class="note">${text(link.note)}</td><td><span class="tag ${link.status.toLowerCase()}">${text(link.status)}</span>${failed}</td>
<td>${time(link.createdAt)}</td><td class="actions">${actions}</td></tr>`;
}

function payInRow(payIn: MockPayIn): string {
  const visible =
    payIn.visibleAt && payIn.visibleAt.getTime() > Date.now()
      ? `from ${time(payIn.visibleAt)}`
      : 'yes';
  return `<tr><td>${payIn.payId}</td><td>${text(payIn.transactionType)}</td><td class="num">${euros(payIn.amount)}</td>
<td>${text(payIn.paymentMethod ?? '')}</td><td>${text(payIn.status)}</td><td>${time(payIn.createdAt)}</td><td>${visible}</td></tr>`;
}

function refundRow(refund: MockRefund): string {
  return `<tr><td>${refund.refundId}</td><td>${refund.payId}</td><td class="num">${euros(refund.amount)}</td>
<td>${refund.isFullRefund ? 'full' : 'partial'}</td><td>${text(refund.status)}</td><td>${time(refund.createdAt)}</td></tr>`;
}

function answerOf(delivery: MockWebhookDelivery): string {
  if (delivery.status === undefined) {
    return `<span class="tag bad">${text(delivery.error ?? 'no answer')}</span>`;
  }
  const ok = delivery.status >= 200 && delivery.status < 300;
  return `<span class="tag ${ok ? 'good' : 'bad'}">HTTP ${delivery.status}</span>`;
}

function deliveryRow(delivery: MockWebhookDelivery): string {
  const decrypted =
    delivery.decryptedBody !== undefined
      ? `<p>Decrypted:</p><pre>${text(delivery.decryptedBody)}</pre>`
      : '';
  const response =
    delivery.responseBody !== undefined && delivery.responseBody !== ''
      ? `<p>The app answered:</p><pre>${text(delivery.responseBody)}</pre>`
      : '';
  const resent =
    delivery.resendOf !== undefined ? ` <small>(resend of #${delivery.resendOf})</small>` : '';
  const actions = [
    button('resend', delivery.id, 'Resend'),
    button(
      'resend-to',
      delivery.id,
      'Send to URL…',
      ` data-prompt="Send this body to which URL?" data-default="${text(delivery.url)}"`,
    ),
  ].join(' ');
  return `<tr data-delivery="${delivery.id}"><td>${delivery.id}${resent}</td><td>${time(delivery.sentAt)}</td>
<td>${text(delivery.event)}</td><td>${delivery.payId}</td><td class="url">${text(delivery.url)}</td>
<td>${text(delivery.format)}${delivery.encrypted ? ' <span class="tag">encrypted</span>' : ''}</td>
<td class="answer">${answerOf(delivery)}</td><td class="num">${delivery.durationMs}&nbsp;ms</td>
<td><details data-key="delivery-${delivery.id}"><summary>Body</summary><p>${text(delivery.contentType)}</p><pre>${text(delivery.body)}</pre>${decrypted}${response}</details></td>
<td class="actions">${actions}</td></tr>`;
}

function accountSection(account: MockAccount, index: number, snapshot: DashboardSnapshot): string {
  const mine = <T extends { userId: string }>(items: readonly T[]): T[] =>
    items.filter((item) => item.userId === account.userId);
  const id = `account-${index}`;
  const urls = (list: string[]): string =>
    list.length ? list.map((url, i) => `${i}: ${text(url)}`).join('<br>') : '<em>none</em>';
  return `<section class="account" aria-labelledby="${id}">
<h2 id="${id}">Account ${index + 1} <small>${text(account.environment)}</small></h2>
<dl>
<dt>API key</dt><dd><code class="key">${text(maskApiKey(account.apiKey))}</code>
<button type="button" id="copy-${index}" data-copy="${text(account.apiKey)}">Copy key</button></dd>
<dt>User id</dt><dd><code>${text(account.userId)}</code></dd>
<dt>Recipient token</dt><dd><code>${text(account.recipientToken)}</code></dd>
<dt>Payment endpoints</dt><dd>${urls(account.paymentEndpoints)}</dd>
<dt>Callback URLs</dt><dd>${urls(account.callbackUrls)}</dd>
<dt>Webhook encryption</dt><dd>${account.encryptionKey ? 'on (account key)' : 'off'}</dd>
</dl>
${table('Links', mine(snapshot.links), ['ID', 'Amount', 'Note', 'Status', 'Created (UTC)', 'Actions'], linkRow)}
${table('Pay-ins', mine(snapshot.payIns), ['Pay id', 'Type', 'Amount', 'Method', 'Status', 'Created (UTC)', 'Visible in API'], payInRow)}
${table('Refunds', mine(snapshot.refunds), ['Refund id', 'Pay id', 'Amount', 'Kind', 'Status', 'Requested (UTC)'], refundRow)}
${table(
  'Webhook deliveries',
  mine(snapshot.deliveries),
  ['#', 'Sent (UTC)', 'Event', 'Pay id', 'URL', 'Format', 'App answer', 'Took', 'Body', 'Actions'],
  deliveryRow,
)}
</section>`;
}

/** The live fragment: a summary line, then one section per account of this environment. */
export function dashboardContentHtml(snapshot: DashboardSnapshot): string {
  const limit =
    snapshot.rateLimit === false ? 'off' : `${snapshot.rateLimit} requests/minute per key`;
  const summary = `<p class="summary">${text(snapshot.environment)} · API at <code>${text(snapshot.baseUrl)}/api/v2/&lt;endpoint&gt;</code> · rate limit ${text(limit)} · injected faults waiting: <span id="pending-faults">${snapshot.pendingFaults}</span></p>`;
  const accounts = snapshot.accounts
    .map((account, index) => ({ account, index }))
    .filter(({ account }) => account.environment === snapshot.environment)
    .map(({ account, index }) => accountSection(account, index, snapshot));
  return [summary, ...accounts].join('\n');
}
