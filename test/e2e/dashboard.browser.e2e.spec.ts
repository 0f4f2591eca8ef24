import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SecPaidModule } from '../../lib/secpaid.module.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { REPO_ROOT } from '../support/sample-app.process.js';
import { startWebhookApp, type WebhookApp } from '../support/webhook-app.harness.js';

/**
 * The mock's sandbox dashboard in Debian's Chromium (playwright-core), beside a real Nest app
 * that receives the webhooks: a link created through SecPaidService appears without a reload,
 * the dashboard pays it, shows the delivery and the app's 200, resends it (the app's handler
 * does not run twice), fails another link (the `Failed` webhook), and shows a note with markup
 * as text. `UPDATE_DOCS_SCREENSHOT=1` also writes docs/mock-dashboard.png.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(REPO_ROOT, 'test', 'e2e', 'artifacts');
const MARKUP_NOTE = '<script>window.hacked = true</script><b>bold?</b>';

describe('mock dashboard in a real browser', () => {
  let mock: SecPaidMockServer;
  let shop: WebhookApp;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    shop = await startWebhookApp(
      SecPaidModule.forRoot(mock.moduleOptions({ rateLimit: false, maxRetries: 0, webhooks: {} })),
    );
    // The account's profile webhook URL: the app's receiver (default path secpaid/webhook).
    mock.accounts[0].paymentEndpoints.push(`${shop.origin}/secpaid/webhook`);
    userDataDir = mkdtempSync(join(tmpdir(), 'secpaid-e2e-dashboard-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(mock.dashboardUrl);
  });

  afterAll(async () => {
    await context?.close();
    await shop?.close();
    await mock?.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('shows the account with its key masked', async () => {
    await expect(page.locator('h1').textContent()).resolves.toBe('SecPaid mock dashboard');
    const key = mock.accounts[0].apiKey;
    await expect(page.locator('code.key').first().textContent()).resolves.toBe(
      `${key.slice(0, 4)}••••••••${key.slice(-4)}`,
    );
    await expect(page.locator('#content').textContent()).resolves.not.toContain(key);
  });

  it('shows a link created through SecPaidService without a reload; its markup note as text', async () => {
    const link = await shop.service.createLink({ amount: 24.5, note: MARKUP_NOTE });
    const row = page.locator(`tr[data-link="${link.id}"]`);
    await row.waitFor();
    await expect(row.locator('td.note').textContent()).resolves.toBe(MARKUP_NOTE);
    await expect(row.locator('td.note b').count()).resolves.toBe(0);
    await expect(page.evaluate('typeof window.hacked')).resolves.toBe('undefined');
    await expect(row.textContent()).resolves.toContain('24.50');
  });

  it('pays from the dashboard by keyboard: the delivery and the app 200 appear', async () => {
    const link = mock.links.at(-1)!;
    await page.focus(`#pay-${link.id}`);
    await page.keyboard.press('Enter');
    const delivery = page.locator('tr[data-delivery="1"]');
    await delivery.waitFor();
    await expect(delivery.locator('td.answer').textContent()).resolves.toBe('HTTP 200');
    await expect(delivery.textContent()).resolves.toContain('success');
    await expect(delivery.textContent()).resolves.toContain('form');
    await expect(page.locator(`tr[data-link="${link.id}"]`).textContent()).resolves.toContain(
      'Used',
    );
    // The body as sent, on demand.
    await delivery.locator('summary').click();
    await expect(delivery.locator('pre').first().textContent()).resolves.toContain(
      'data%5Bstatus%5D=Success',
    );
    expect(shop.handler.events.map((event) => [event.type, event.payId])).toEqual([
      ['payment.succeeded', link.id],
    ]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-paid.png'), fullPage: true });
  });

  it('resends the delivery: a second delivery with the app 200, the handler ran once', async () => {
    await page.click('#resend-1');
    const again = page.locator('tr[data-delivery="2"]');
    await again.waitFor();
    await expect(again.textContent()).resolves.toContain('resend of #1');
    await expect(again.locator('td.answer').textContent()).resolves.toBe('HTTP 200');
    expect(mock.webhookDeliveries.map((d) => [d.id, d.status, d.body])).toEqual([
      [1, 200, mock.webhookDeliveries[0].body],
      [2, 200, mock.webhookDeliveries[0].body],
    ]);
    // The app dropped the duplicate: its handler ran for the first delivery only.
    expect(shop.handler.events).toHaveLength(1);
    // The <details> opened before the refresh stays open.
    await expect(page.locator('tr[data-delivery="1"] details').getAttribute('open')).resolves.toBe(
      '',
    );
  });

  it('fails a link from the dashboard: the Failed webhook goes out and the app answer is shown', async () => {
    const link = await shop.service.createLink({ amount: 7, note: 'declined card' });
    await page.locator(`tr[data-link="${link.id}"]`).waitFor();
    if (process.env['UPDATE_DOCS_SCREENSHOT'] === '1') {
      // The README's picture: a paid link, an open one with its buttons, two 200 deliveries.
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: resolve(REPO_ROOT, 'docs', 'mock-dashboard.png') });
    }
    await page.click(`#fail-${link.id}`);
    const failed = page.locator('tr[data-delivery="3"]');
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toContain('failed');
    const delivery = mock.webhookDeliveries.at(-1)!;
    expect(delivery).toMatchObject({ event: 'failed', payId: link.id, format: 'form' });
    expect(new URLSearchParams(delivery.body).get('data[status]')).toBe('Failed');
    // Whatever the app answered is what the dashboard shows (2xx once the receiver knows
    // `Failed`: see test/testing/payments/failed-webhook.app.spec.ts).
    expect(delivery.status).toEqual(expect.any(Number));
    await expect(failed.locator('td.answer').textContent()).resolves.toBe(
      `HTTP ${delivery.status}`,
    );
    await expect(page.locator(`tr[data-link="${link.id}"]`).textContent()).resolves.toContain(
      'failed attempt',
    );
    // Never dispatched as paid.
    const paid = shop.handler.events.filter((event) => event.type === 'payment.succeeded');
    expect(paid.map((event) => event.payId)).not.toContain(link.id);
  });

  it('reads well at 1280x800 and on a narrow window (screenshots)', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    // No horizontal scroll of the page itself: wide tables scroll inside their own box.
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(dialogs).toEqual([]);
  });
});
