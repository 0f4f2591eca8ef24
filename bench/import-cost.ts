/**
 * `node bench/dist/bench/import-cost.js`: how much of importing `nestjs-secpaid` is the package's
 * own modules. Imports its dependencies first (Nest, axios, @nestjs/axios, class-validator,
 * rxjs), then the package entry, and prints both times and the CPU ms of the second step.
 */
const started = performance.now();
await import('reflect-metadata');
await import('@nestjs/common');
await import('@nestjs/core');
await import('@nestjs/platform-express');
await import('@nestjs/axios');
await import('axios');
await import('class-validator');
await import('rxjs');
const dependenciesMs = performance.now() - started;
const cpuBefore = process.cpuUsage();
const ownStarted = performance.now();
await import('../lib/index.js');
const ownMs = performance.now() - ownStarted;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({ dependenciesMs, ownMs, ownCpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
);
