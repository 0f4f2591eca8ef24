import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslintBin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

/**
 * Lints `source` as if it were the file `filePath` of lib/ (through stdin: nothing is written),
 * with the repository's own eslint.config.js, exactly as `npm run lint` would see that file.
 */
function lintAs(filePath: string, source: string): { status: number | null; output: string } {
  const run = spawnSync(
    process.execPath,
    [eslintBin, '--stdin', '--stdin-filename', filePath, '--format', 'stylish'],
    { cwd: root, input: source, encoding: 'utf8' },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const IMPORT_SERVICE = [
  "import { SecPaidService } from '../service/secpaid.service.js';",
  'export const planted = SecPaidService;',
  '',
].join('\n');

// The folder order of docs/architecture.md §1, enforced by eslint-plugin-boundaries.
describe('lib/ folder order (npm run lint)', () => {
  it('refuses an upward import: core/ importing service/', () => {
    const result = lintAs('lib/core/planted.ts', IMPORT_SERVICE);
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      'Dependencies to elements of type "service" are not allowed in elements of type "core"',
    );
    expect(result.output).toContain('boundaries/dependencies');
  });

  it('refuses one webhook room importing another, and http/ importing observability/', () => {
    const crossRoom = lintAs(
      'lib/webhooks/intake/planted.ts',
      "export { PayInLookupBatcher } from '../confirmation/pay-in-lookup.batcher.js';\n",
    );
    expect(crossRoom.status).toBe(1);
    expect(crossRoom.output).toContain('"webhooks-confirmation" are not allowed');

    const sideways = lintAs(
      'lib/http/planted.ts',
      "export { SECPAID_METRICS } from '../observability/telemetry.names.js';\n",
    );
    expect(sideways.status).toBe(1);
    expect(sideways.output).toContain('"observability" are not allowed in elements of type "http"');
  });

  it('refuses a file outside every room', () => {
    const result = lintAs('lib/elsewhere/planted.ts', 'export const planted = 1;\n');
    expect(result.status).toBe(1);
    expect(result.output).toContain('boundaries/no-unknown-files');
  });

  it('accepts the same import pointing down: instances/ importing service/', () => {
    const result = lintAs('lib/instances/planted.ts', IMPORT_SERVICE);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
