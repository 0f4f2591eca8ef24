/**
 * `node bench/dist/bench/startup-profile.js <out.cpuprofile | -> [with|without]`: the start-up of
 * benchmark 5 (bench/startup-child.ts) with a CPU profile of `NestFactory.create + app.init()`
 * only (imports excluded), for finding where the module's start-up time goes. Prints the wall
 * and CPU ms of create + init (with `-`: no profile, so the figures carry no profiler cost).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const [out, variant = 'with'] = process.argv.slice(2);
if (out === undefined) throw new Error('usage: startup-profile.js <out.cpuprofile> [with|without]');
await import('reflect-metadata');
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { ExpressAdapter } = await import('@nestjs/platform-express');
const imports = [];
if (variant === 'with') {
  const { SecPaidModule } = await import('../lib/index.js');
  imports.push(
    SecPaidModule.forRoot({
      apiKey: 'bench-startup-key',
      environment: 'development',
      baseUrl: 'http://127.0.0.1:9',
    }),
  );
}
class AppModule {}
Module({ imports })(AppModule);
const session = out === '-' ? undefined : new Session();
session?.connect();
await session?.post('Profiler.enable');
await session?.post('Profiler.setSamplingInterval', { interval: 100 });
await session?.post('Profiler.start');
const cpuBefore = process.cpuUsage();
const started = performance.now();
const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
await app.init();
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (session !== undefined) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
  session.disconnect();
}
await app.close();
process.stdout.write(
  `${JSON.stringify({ variant, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
);
