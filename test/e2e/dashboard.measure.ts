/**
 * A bench-style measurement of the mock dashboard (not a test; nothing asserts on time):
 * 1. how long an open dashboard in Chromium takes to show a link created through the API;
 * 2. what an open dashboard costs the API's throughput (createLink calls per second with and
 *    without it, sequential and 16 at a time, alternating rounds).
 *
 * node --import ./test/support/ts-esm.register.mjs test/e2e/dashboard.measure.ts [--calls 2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { callApi } from '../support/mock-api.client.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    samples: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '3' },
  },
});
const CALLS = Number(values.calls);
const SAMPLES = Number(values.samples);
const ROUNDS = Number(values.rounds);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function createLinks(mock: SecPaidMockServer, calls: number, concurrency: number) {
  const key = mock.accounts[0]!.apiKey;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < calls) {
        const answer = await callApi(
          mock.baseUrl,
          'createLink',
          { amount: 1.5, recipient_note: 'bench' },
          key,
        );
        if (answer.status !== 200) throw new Error(`createLink answered ${answer.status}`);
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}

/**
 * What the page's script does, without a browser: listen to the event stream and fetch the
 * fragment on every change (one at a time). Isolates the mock's own cost from Chromium's.
 */
async function openHeadlessDashboard(mock: SecPaidMockServer) {
  let refreshes = 0;
  let loading = false;
  let again = false;
  const refresh = async (): Promise<void> => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    await (await fetch(`${mock.baseUrl}/dashboard/content`)).text();
    refreshes++;
    loading = false;
    if (again) {
      again = false;
      await refresh();
    }
  };
  const stream = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(`${mock.baseUrl}/dashboard/events`);
    req.on('error', reject);
    req.on('response', resolve);
    req.end();
  });
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (chunk.includes('event: change')) void refresh();
  });
  return { refreshes: () => refreshes, close: () => stream.destroy() };
}

async function main(): Promise<void> {
  const mock = await SecPaidMockServer.start({ rateLimit: false });
  const userDataDir = mkdtempSync(join(tmpdir(), 'secpaid-dashboard-measure-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(mock.dashboardUrl);
    await page.waitForSelector('#content');

    // 1. Time from the createLink call to the row on screen.
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      const answer = await callApi(
        mock.baseUrl,
        'createLink',
        { amount: 2 },
        mock.accounts[0]!.apiKey,
      );
      const id = (answer.json['data'] as { id: number }).id;
      await page.waitForSelector(`tr[data-link="${id}"]`, { state: 'attached' });
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `new link on screen: median ${percentile(latencies, 50).toFixed(0)} ms, p90 ${percentile(latencies, 90).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms (${SAMPLES} links)`,
    );

    // 2. Throughput with and without the open dashboard, alternating.
    for (const concurrency of [1, 16]) {
      const without: number[] = [];
      const withDashboard: number[] = [];
      let contentRequests = 0;
      page.on('request', (request) => {
        if (request.url().endsWith('/dashboard/content')) contentRequests++;
      });
      for (let round = 0; round < ROUNDS; round++) {
        mock.reset();
        await page.goto('about:blank');
        without.push(await createLinks(mock, CALLS, concurrency));
        mock.reset();
        await page.goto(mock.dashboardUrl);
        await page.waitForSelector('#content');
        contentRequests = 0;
        withDashboard.push(await createLinks(mock, CALLS, concurrency));
      }
      const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
      console.log(
        `createLink x${CALLS}, ${concurrency} at a time: without dashboard ${without.map((v) => v.toFixed(0)).join('/')} calls/s (mean ${mean(without).toFixed(0)}), with dashboard open ${withDashboard.map((v) => v.toFixed(0)).join('/')} calls/s (mean ${mean(withDashboard).toFixed(0)}): ${((1 - mean(withDashboard) / mean(without)) * 100).toFixed(1)} % fewer; last round ${contentRequests} fragment refreshes`,
      );
      page.removeAllListeners('request');
    }

    // 3. The mock's own share: a headless client doing what the page's script does.
    await page.goto('about:blank');
    for (const concurrency of [1, 16]) {
      const without: number[] = [];
      const withClient: number[] = [];
      let refreshes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        mock.reset();
        without.push(await createLinks(mock, CALLS, concurrency));
        mock.reset();
        const client = await openHeadlessDashboard(mock);
        withClient.push(await createLinks(mock, CALLS, concurrency));
        refreshes = client.refreshes();
        client.close();
      }
      const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
      console.log(
        `createLink x${CALLS}, ${concurrency} at a time: without ${without.map((v) => v.toFixed(0)).join('/')} calls/s (mean ${mean(without).toFixed(0)}), with a headless SSE client ${withClient.map((v) => v.toFixed(0)).join('/')} calls/s (mean ${mean(withClient).toFixed(0)}): ${((1 - mean(withClient) / mean(without)) * 100).toFixed(1)} % fewer; last round ${refreshes} fragment refreshes`,
      );
    }
  } finally {
    await context.close();
    await mock.stop();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

await main();
