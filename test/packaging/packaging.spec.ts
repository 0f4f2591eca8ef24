import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECPAID_PACKAGE_VERSION } from '../../lib/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
};

/** Runs `node` in the package root, where `nestjs-secpaid` resolves to itself (self-reference). */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

// `npm test` builds dist before Jest runs; these checks are about the built package.
describe('the built package', () => {
  it('has every exports and bin target on disk', () => {
    const targets = Object.values(pkg.exports).flatMap((entry) =>
      typeof entry === 'string' ? [entry] : Object.values(entry),
    );
    for (const target of [...targets, ...Object.values(pkg.bin)]) {
      expect([target, existsSync(join(root, target))]).toEqual([target, true]);
    }
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

  it('loads through require() in a CommonJS child process (require(esm))', () => {
    const output = node([
      '--input-type=commonjs',
      '-e',
      `const main = require('nestjs-secpaid');
       const testing = require('nestjs-secpaid/testing');
       console.log(JSON.stringify({
         module: typeof main.SecPaidModule,
         testing: Object.keys(testing).length > 0,
       }));`,
    ]);
    expect(JSON.parse(output)).toEqual({ module: 'function', testing: true });
  });
});
