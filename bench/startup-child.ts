/**
 * One cold start-up measurement in a fresh process: import Nest (and the package when asked),
 * build a minimal app with NestFactory.create (Express), time app.init(). Prints JSON.
 * argv[2]: `with` (SecPaidModule.forRoot in the root module) or `without`.
 */
const started = performance.now();
const withSecPaid = process.argv[2] === 'with';
await import('reflect-metadata');
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
// Loaded up front in both variants, so create + init compares Nest's work only.
const { ExpressAdapter } = await import('@nestjs/platform-express');
const imports = [];
if (withSecPaid) {
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
const imported = performance.now();
const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
const created = performance.now();
await app.init();
const initialised = performance.now();
await app.close();
process.stdout.write(
  JSON.stringify({
    importMs: imported - started,
    createMs: created - imported,
    initMs: initialised - created,
    totalMs: initialised - started,
  }),
);
