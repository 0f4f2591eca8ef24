import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A resolve hook that makes `@opentelemetry/api` look uninstalled. */
const WITHOUT_OTEL_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    `export async function resolve(specifier, context, next) {
       if (specifier === '@opentelemetry/api' || specifier.startsWith('@opentelemetry/api/')) {
         const error = new Error("Cannot find package '@opentelemetry/api'");
         error.code = 'ERR_MODULE_NOT_FOUND';
         throw error;
       }
       return next(specifier, context);
     }`,
  );

// `npm test` builds dist before Jest runs; this runs the built package in a child process.
describe('@opentelemetry/api is an optional peer', () => {
  it('the built module starts and calls SecPaid when the API is not installed', () => {
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { register } from 'node:module';
         register(${JSON.stringify(WITHOUT_OTEL_HOOK)});
         const otelMissing = await import('@opentelemetry/api').then(() => false, () => true);
         await import('reflect-metadata');
         const { NestFactory } = await import('@nestjs/core');
         const { Module } = await import('@nestjs/common');
         const { SecPaidModule, SecPaidService } = await import('nestjs-secpaid');
         const { SecPaidMockServer } = await import('nestjs-secpaid/testing');
         const mock = await SecPaidMockServer.start({ rateLimit: false });
         const secpaid = SecPaidModule.forRoot({
           apiKey: mock.accounts[0].apiKey, environment: 'development', baseUrl: mock.baseUrl,
         });
         class AppModule {}
         Module({ imports: [secpaid] })(AppModule);
         const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
         const link = await app.get(SecPaidService).createLink({ amount: 5 });
         const links = await app.get(SecPaidService).paginateUnusedLinks().toArray({ limit: 10 });
         await app.close();
         await mock.stop();
         console.log(JSON.stringify({ otelMissing, created: link.id > 0, listed: links.length }));`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(JSON.parse(output)).toEqual({ otelMissing: true, created: true, listed: 1 });
  });

  it('the declarations of the three entries never name a type of @opentelemetry/api', () => {
    const entries = ['index', 'health/index', 'testing/index'].map((entry) =>
      join(root, 'dist', `${entry}.d.ts`),
    );
    const program = ts.createProgram(entries, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
      types: [],
    });
    const reached = program.getSourceFiles().map((file) => file.fileName);
    expect(reached.some((file) => file.endsWith('dist/index.d.ts'))).toBe(true);
    expect(reached.filter((file) => file.includes('@opentelemetry'))).toEqual([]);
  });
});
