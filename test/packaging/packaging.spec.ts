import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECPAID_PACKAGE_VERSION } from '../../lib/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  main: string;
  types: string;
  exports: Record<string, ExportTarget>;
  typesVersions: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
};

/** A target of the exports map: a path, or conditions mapping to targets. */
type ExportTarget = string | { [condition: string]: ExportTarget };

/** Every path an exports target can resolve to. */
function targetsOf(target: ExportTarget): string[] {
  return typeof target === 'string' ? [target] : Object.values(target).flatMap(targetsOf);
}

/** Runs `node` in the package root, where `nestjs-secpaid` resolves to itself (self-reference). */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

// `npm test` builds dist before Jest runs; these checks are about the built package.
describe('the built package', () => {
  it('has every exports and bin target on disk', () => {
    const targets = [
      ...Object.values(pkg.exports).flatMap(targetsOf),
      ...Object.values(pkg.typesVersions['*'] ?? {}).flat(),
      pkg.main,
      pkg.types,
    ];
    for (const target of [...targets, ...Object.values(pkg.bin)]) {
      expect([target, existsSync(join(root, target))]).toEqual([target, true]);
    }
  });

  it('gives every code entry an import and a require condition, each with its own types', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (entry === './package.json') continue;
      const conditions = target as Record<string, Record<string, string>>;
      expect([entry, Object.keys(conditions)]).toEqual([entry, ['import', 'require']]);
      expect(conditions['import']['types']).toMatch(/^\.\/dist\/(?!cjs\/).*\.d\.ts$/);
      expect(conditions['require']['types']).toMatch(/^\.\/dist\/cjs\/.*\.d\.ts$/);
      expect(conditions['require']['default']).toMatch(/^\.\/dist\/cjs\/.*\.js$/);
    }
    // node10 resolution (old Nest tsconfigs) finds the sub-entries through typesVersions.
    expect(Object.keys(pkg.typesVersions['*'] ?? {}).sort()).toEqual(['health', 'testing']);
    expect(JSON.parse(readFileSync(join(root, 'dist/cjs/package.json'), 'utf8'))).toEqual({
      type: 'commonjs',
    });
  });

  it('keeps the User-Agent version equal to package.json', () => {
    expect(SECPAID_PACKAGE_VERSION).toBe(pkg.version);
  });

  it('loads through import() in an ESM child process', () => {
    const output = node([
      '--input-type=module',
      '-e',
      `const main = await import('nestjs-secpaid');
       const health = await import('nestjs-secpaid/health');
       const testing = await import('nestjs-secpaid/testing');
       console.log(JSON.stringify({
         module: typeof main.SecPaidModule,
         config: typeof main.secpaidConfig,
         error: new main.SecPaidError('x') instanceof Error,
         health: Object.keys(health).length > 0,
         testing: Object.keys(testing).length > 0,
       }));`,
    ]);
    expect(JSON.parse(output)).toEqual({
      module: 'function',
      config: 'function',
      error: true,
      health: true,
      testing: true,
    });
  });

  it('loads the CommonJS build through require() in a CommonJS child process', () => {
    const output = node([
      '--input-type=commonjs',
      '-e',
      `const entries = ['nestjs-secpaid', 'nestjs-secpaid/health', 'nestjs-secpaid/testing'];
       const main = require('nestjs-secpaid');
       const testing = require('nestjs-secpaid/testing');
       console.log(JSON.stringify({
         files: entries.map((entry) => require.resolve(entry).slice(process.cwd().length)),
         module: typeof main.SecPaidModule,
         health: typeof require('nestjs-secpaid/health').SecPaidHealthIndicator,
         mock: typeof testing.SecPaidMockServer,
         builder: typeof testing.buildMockWebhook,
       }));`,
    ]);
    expect(JSON.parse(output)).toEqual({
      files: ['/dist/cjs/index.js', '/dist/cjs/health/index.js', '/dist/cjs/testing/index.js'],
      module: 'function',
      health: 'function',
      mock: 'function',
      builder: 'function',
    });
  });

  it('survives both builds in one process: shared DI tokens, instanceof across builds', () => {
    const output = node([join(root, 'test/packaging/fixtures/dual-load.mjs')]);
    expect(JSON.parse(output)).toEqual({
      builds: [`file://${join(root, 'dist/index.js')}`, join(root, 'dist/cjs/index.js')],
      distinctClasses: true,
      injectedAcrossBuilds: true,
      cjsErrorInEsm: {
        SecPaidError: true,
        SecPaidApiError: true,
        SecPaidRateLimitError: true,
        SecPaidServerError: false,
        Error: true,
      },
      esmErrorInCjs: {
        SecPaidError: true,
        SecPaidRateLimitError: true,
        SecPaidValidationError: false,
      },
      plainObject: false,
      // The brand is not enumerable: it never shows up in logs or JSON.
      json: ['endpoint', 'httpStatus', 'message', 'name'],
    });
  });
});
