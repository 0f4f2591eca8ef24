import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { unusedPort } from '../support/loopback-server.js';
import { REPO_ROOT, startSampleApp, type RunningSampleApp } from '../support/sample-app.process.js';

/**
 * The sample app as a user meets it: `node sample-app/dist/main.js` with no SecPaid account
 * (embedded mock), driven by Debian's Chromium through playwright-core. Every step goes over
 * real HTTP: shop -> createLink -> hosted payment page -> webhook (confirmed with
 * getPayInTransactions) -> browser redirect to the callback page.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(REPO_ROOT, 'test', 'e2e', 'artifacts');

describe('sample app checkout in a real browser', () => {
  let app: RunningSampleApp;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;

  beforeAll(async () => {
    app = await startSampleApp(await unusedPort());
    userDataDir = mkdtempSync(join(tmpdir(), 'secpaid-e2e-chromium-'));
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
      viewport: { width: 1000, height: 720 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    await app?.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('logs that it runs on the embedded mock, with the mock URL and the port', () => {
    expect(app.output()).toMatch(
      /SECPAID_API_KEY is not set: using the embedded SecPaid mock at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(app.output()).toContain(`listening on ${app.baseUrl}`);
  });

  it('pays a product: payment page, callback page, order marked paid', async () => {
    await page.goto(`${app.baseUrl}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Shop');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'shop.png'), fullPage: true });
    await page.click('#pay-tshirt');

    // The mock's hosted payment page, on the mock's origin.
    await page.waitForURL(/\/payment\?link_id=/);
    expect(new URL(page.url()).origin).not.toBe(app.baseUrl);
    await expect(page.locator('#amount').textContent()).resolves.toBe('19.90 EUR');
    await page.click('#pay');

    // Back on the shop: SecPaid's redirect to the callback route.
    await page.waitForURL(/\/orders\/callback\?.*status=success/);
    expect(page.url().startsWith(`${app.baseUrl}/orders/callback?`)).toBe(true);
    await expect(page.locator('#order-status').getAttribute('data-status')).resolves.toBe('paid');
    await expect(page.locator('h1').textContent()).resolves.toBe('Thank you for your order');
    await expect(page.locator('main').textContent()).resolves.toContain(
      'Confirmed with the SecPaid API',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'paid-order.png'), fullPage: true });
  });

  it('cancels a payment: callback page shows the order cancelled', async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.click('#pay-mug');
    await page.waitForURL(/\/payment\?link_id=/);
    await page.click('#cancel');

    await page.waitForURL(/\/orders\/callback\?.*status=cancel/);
    await expect(page.locator('#order-status').getAttribute('data-status')).resolves.toBe(
      'cancelled',
    );
    await expect(page.locator('h1').textContent()).resolves.toBe('Payment cancelled');
  });

  it('pays the split-link product', async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.click('#pay-workshop');
    await page.waitForURL(/\/payment\?link_id=/);
    await expect(page.locator('#amount').textContent()).resolves.toBe('149.00 EUR');
    await page.click('#pay');

    await page.waitForURL(/\/orders\/callback\?.*status=success/);
    await expect(page.locator('#order-status').getAttribute('data-status')).resolves.toBe('paid');
    await expect(page.locator('main').textContent()).resolves.toContain('(split link)');
  });

  it('lists every order with its status on the orders page', async () => {
    await page.goto(`${app.baseUrl}/orders`);
    const rows = page.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    const text = (await page.locator('tbody').textContent()) ?? '';
    expect(text).toMatch(/NestJS workshop seat \(split\)[\s\S]*Paid/);
    expect(text).toMatch(/Coffee mug[\s\S]*Cancelled/);
    expect(text).toMatch(/Nest T-shirt[\s\S]*Paid/);
  });

  it('reports ready (SecPaid indicator up) and live', async () => {
    const ready = await page.request.get(`${app.baseUrl}/health/ready`);
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { secpaid: { status: 'up', environment: 'development' } },
    });
    const live = await page.request.get(`${app.baseUrl}/health/live`);
    expect(live.status()).toBe(200);
  });
});
