import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
};

/** One entry of `npm pack --dry-run --json` (npm 11). */
interface PackReport {
  files: { path: string }[];
}

/** A package path as npm lists it: no leading `./`, forward slashes. */
function packPath(target: string): string {
  return posix.normalize(target).replace(/^\.\//, '');
}

/** Every string target of an `exports` entry, however deeply its conditions nest. */
function exportTargets(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (entry === null || typeof entry !== 'object') return [];
  return Object.values(entry).flatMap(exportTargets);
}

/** What the `sources` of a shipped source map point at, as package paths. */
function mapSources(mapPath: string): string[] {
  const map = JSON.parse(readFileSync(join(root, mapPath), 'utf8')) as {
    sources: string[];
    sourceRoot?: string;
  };
  const base = posix.join(posix.dirname(mapPath), map.sourceRoot ?? '');
  return map.sources.map((source) => posix.join(base, source));
}

// `npm test` builds dist before Jest runs; this checks what `npm publish` would upload.
describe('npm pack contents', () => {
  let shipped: Set<string>;

  beforeAll(() => {
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [report] = JSON.parse(output) as PackReport[];
    shipped = new Set(report.files.map((file) => file.path));
  }, 60_000);

  it('ships the licence, the README, the changelog and the manifest', () => {
    for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']) {
      expect([file, shipped.has(file)]).toEqual([file, true]);
    }
  });

  it('ships every exports and bin target', () => {
    const targets = [...exportTargets(pkg.exports), ...Object.values(pkg.bin)].map(packPath);
    expect(targets.length).toBeGreaterThan(3);
    for (const target of targets) {
      expect([target, shipped.has(target)]).toEqual([target, true]);
    }
  });

  it('ships no tests, benchmarks, sample app, build info or tarballs', () => {
    const unwanted = [...shipped].filter(
      (path) =>
        /^(test|bench|sample-app|scripts|docs|node_modules|\.ci)\//.test(path) ||
        /\.tsbuildinfo$/.test(path) ||
        /\.tgz$/.test(path) ||
        /\.spec\.ts$/.test(path),
    );
    expect(unwanted).toEqual([]);
  });

  it('ships the source every shipped source map points at', () => {
    const maps = [...shipped].filter((path) => path.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing = maps.flatMap((map) =>
      mapSources(map)
        .filter((source) => !shipped.has(source))
        .map((source) => `${map} -> ${source}`),
    );
    expect(missing).toEqual([]);
  });
});
