/**
 * `node bench/dist/bench/call-path.js` (after `tsc -p bench/tsconfig.json`): which files and
 * folders of `lib/` one `createLink` and one confirmed webhook run code in. Measured, not read:
 * V8 precise coverage (call counts) is reset after a warm-up pass, then taken once around each
 * pass; every `lib/` file (the mock in lib/testing/ aside) with a function called is listed.
 * Prints JSON: `{ createLink: { files, folders }, webhook: { files, folders } }`.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { SecPaidModule, SecPaidService } from '../lib/index.js';
import { SecPaidMockServer, buildMockWebhook } from '../lib/testing/index.js';

const libRoot = fileURLToPath(new URL('../lib/', import.meta.url));
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });

/** The `lib/` files (outside lib/testing/) that ran any function since the previous take. */
async function takeFiles(): Promise<string[]> {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const files = new Set<string>();
  for (const script of result) {
    if (!script.url.startsWith('file://')) continue;
    const path = fileURLToPath(script.url);
    if (!path.startsWith(libRoot)) continue;
    const relative = `lib/${path.slice(libRoot.length).replace(/\.js$/, '.ts')}`;
    if (relative.startsWith('lib/testing/')) continue;
    // The first range of a script is the module body; it counts 1 only when the module loads.
    if (script.functions.some((fn) => fn.functionName !== '' && fn.ranges[0]!.count > 0)) {
      files.add(relative);
    }
  }
  return [...files].sort();
}

function summary(files: string[]): { fileCount: number; folders: string[]; files: string[] } {
  const folders = [
    ...new Set(files.map((file) => file.slice(0, file.lastIndexOf('/')) || 'lib')),
  ].sort();
  return { fileCount: files.length, folders, files };
}

const mock = await SecPaidMockServer.start();
const options = mock.moduleOptions({ rateLimit: false, webhooks: { path: 'secpaid/webhook' } });
class AppModule {}
Module({ imports: [SecPaidModule.forRoot(options)] })(AppModule);
const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
const address = app.getHttpServer().address() as { port: number };
const service = app.get(SecPaidService);

async function webhookPass(): Promise<void> {
  const link = await service.createLink({ amount: 12.5, note: 'path' });
  await mock.pay(link.id, { sendWebhooks: false });
  const webhook = buildMockWebhook({ payId: link.id, amount: 12.5 });
  await takeFiles(); // the createLink and the payment above are not part of the webhook's pass
  const response = await fetch(`http://127.0.0.1:${address.port}/secpaid/webhook`, {
    method: 'POST',
    headers: { 'content-type': webhook.contentType },
    body: webhook.body,
  });
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
}

// Warm-up: lazy loads, first-call paths and module bodies run here, outside the measured passes.
await service.createLink({ amount: 12.5, note: 'warm-up' });
await webhookPass();
await takeFiles();

await service.createLink({ amount: 12.5, note: 'measured' });
const createLink = summary(await takeFiles());
await webhookPass();
const webhook = summary(await takeFiles());

await app.close();
await mock.stop();
session.disconnect();
process.stdout.write(`${JSON.stringify({ createLink, webhook }, null, 2)}\n`);
