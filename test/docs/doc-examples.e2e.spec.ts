/**
 * The README's examples run as a reader runs them, against SecPaidMockServer:
 * - the Quick start's AppModule, booted as `main.ts` boots it, serves /checkout; the browser's
 *   way through it (redirect, the mock's payment page, its Pay button) ends paid. The one change
 *   from the README text is the mock's address (`npx secpaid-mock` listens on 4010; here the
 *   mock takes a free port).
 * - the README's e2e spec (`<!-- snippet: e2e -->`) is registered into this file as written and
 *   runs against the app it describes (scripts/compat/runner-apps: AppModule, PaymentsListener).
 * - the same e2e spec, when `compile()` throws (a named instance without its variables), fails
 *   and lets Jest exit: its afterAll must stop the mock, or the mock's open port keeps Jest
 *   running for ever (the CLI's Jest config has no forceExit). Run in a child Jest.
 * The blocks are written under `.snippets/` (git-ignored) with `nestjs-secpaid` imports pointed
 * at the package's sources, then imported: ts-jest compiles them like any spec.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { REPO, namedSnippet, publicEntrySources } from '../support/doc-snippets.checker.js';

mkdirSync(join(REPO, '.snippets'), { recursive: true });
const workdir = mkdtempSync(join(REPO, '.snippets', 'run-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

/** Writes `source` to `file` (under the workdir) with the package's entries as relative imports. */
function writeModule(file: string, source: string): string {
  const path = join(workdir, file);
  mkdirSync(dirname(path), { recursive: true });
  let text = source;
  for (const [specifier, entry] of Object.entries(publicEntrySources())) {
    const target = relative(dirname(path), entry).replace(/\.ts$/, '.js');
    text = text.replaceAll(
      `from '${specifier}'`,
      `from '${target.startsWith('.') ? target : `./${target}`}'`,
    );
  }
  writeFileSync(path, text);
  return path;
}

describe('README Quick start', () => {
  const MOCK_CLI_URL = "'http://127.0.0.1:4010'";
  let mock: SecPaidMockServer | undefined;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start();
    process.env.SECPAID_API_KEY = mock.accounts[0].apiKey; // "the key the mock printed"
    const quickStart = namedSnippet('README.md', 'quick-start').code;
    expect(quickStart).toContain(MOCK_CLI_URL);
    const file = writeModule(
      'quick-start/app.module.ts',
      quickStart.replace(MOCK_CLI_URL, `'${mock.baseUrl}'`),
    );
    const { AppModule } = (await import(file)) as { AppModule: new () => unknown };
    app = await NestFactory.create(AppModule, { logger: false }); // as main.ts does
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    try {
      await app?.close();
    } finally {
      await mock?.stop();
      delete process.env.SECPAID_API_KEY;
    }
  });

  it('opens /checkout, lands on the payment page, presses Pay, and the link is paid', async () => {
    const checkout = await fetch(`${await app!.getUrl()}/checkout`, { redirect: 'manual' });
    expect(checkout.status).toBe(302);
    const paymentPage = checkout.headers.get('location') ?? '';
    expect(paymentPage.startsWith(`${mock!.baseUrl}/payment?link_id=`)).toBe(true);

    const page = await (await fetch(paymentPage)).text();
    expect(page).toContain('49.99 EUR');
    expect(page).toContain('Order 1001');
    const linkId = /name="link_id" value="([^"]+)"/.exec(page)?.[1] ?? '';

    const pay = await fetch(`${mock!.baseUrl}/payment/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ link_id: linkId }),
      redirect: 'manual',
    });
    expect(pay.status).toBe(303);
    const result = await (
      await fetch(new URL(pay.headers.get('location') ?? '', mock!.baseUrl))
    ).text();
    expect(result).toContain('Payment successful');
    expect(mock!.links.map((link) => [link.amount, link.note, link.status])).toEqual([
      [49.99, 'Order 1001', 'Used'],
    ]);
  });
});

// The README's e2e spec, in the CLI-shaped app it is written for (ESM layout of runner-apps).
const apps = join(REPO, 'scripts', 'compat', 'runner-apps');
for (const name of ['app.controller.ts', 'app.service.ts']) {
  writeModule(`e2e/src/${name}`, readFileSync(join(apps, 'cli12', 'src', name), 'utf8'));
}
for (const name of ['app.module.ts', 'health.controller.ts', 'payments.listener.ts']) {
  writeModule(`e2e/src/${name}`, readFileSync(join(apps, 'shared', 'src', name), 'utf8'));
}
await import(writeModule('e2e/test/secpaid.e2e-spec.ts', namedSnippet('README.md', 'e2e').code));

describe('README e2e example when compile() throws', () => {
  /** Long enough for a loaded machine; a spec that hangs never exits at all. */
  const EXIT_WITHIN_MS = 150_000;

  it('fails the spec and lets Jest exit (the mock is stopped)', async () => {
    const dir = join(workdir, 'compile-throws');
    // AppModule with a named instance whose SECPAID_MERCHANT_B_* variables are not set.
    writeModule(
      'compile-throws/src/app.module.ts',
      `import { Module } from '@nestjs/common';
import { SecPaidModule, secpaidConfigFor } from 'nestjs-secpaid';
import { PaymentsListener } from './payments.listener.js';

@Module({
  imports: [SecPaidModule.forRootAsync(secpaidConfigFor('merchant-b').asProvider())],
  providers: [PaymentsListener],
})
export class AppModule {}
`,
    );
    writeModule(
      'compile-throws/src/payments.listener.ts',
      readFileSync(join(apps, 'shared', 'src', 'payments.listener.ts'), 'utf8'),
    );
    writeModule('compile-throws/test/secpaid.e2e-spec.ts', namedSnippet('README.md', 'e2e').code);
    const config = join(dir, 'jest.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        rootDir: dir,
        testEnvironment: 'node',
        testMatch: ['**/*.e2e-spec.ts'],
        extensionsToTreatAsEsm: ['.ts'],
        moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
        transform: {
          '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: join(REPO, 'tsconfig.json') }],
        },
      }),
    );
    const env = { ...process.env };
    for (const name of Object.keys(env)) if (name.startsWith('SECPAID_')) delete env[name];
    const child = spawn(
      process.execPath,
      [
        '--experimental-vm-modules',
        join(REPO, 'node_modules/jest/bin/jest.js'),
        '-c',
        config,
        '--ci',
      ],
      { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = await new Promise<number | 'still running'>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running');
      }, EXIT_WITHIN_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    });
    expect({
      exit,
      compileFailed:
        output.includes('SECPAID_MERCHANT_B') || output.includes('SecPaidConfigurationError'),
    }).toEqual({
      exit: 1,
      compileFailed: true,
    });
  }, 180_000);
});
