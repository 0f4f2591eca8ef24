import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * The `sources` of a shipped source map that resolve to nothing, as package paths: a source
 * resolves when the map carries its text (`sourcesContent`, the build's `inlineSources`) or
 * when the file it names is shipped.
 */
function unresolvedMapSources(mapPath: string, shipped: ReadonlySet<string>): string[] {
  const map = JSON.parse(readFileSync(join(root, mapPath), 'utf8')) as {
    sources: string[];
    sourceRoot?: string;
    sourcesContent?: (string | null)[];
  };
  const base = posix.join(posix.dirname(mapPath), map.sourceRoot ?? '');
  return map.sources
    .map((source, index) => ({
      path: posix.join(base, source),
      inlined: typeof map.sourcesContent?.[index] === 'string',
    }))
    .filter((source) => !source.inlined && !shipped.has(source.path))
    .map((source) => source.path);
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

  it('every shipped source map resolves its sources (their text is in the map)', () => {
    const maps = [...shipped].filter((path) => path.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing = maps.flatMap((map) =>
      unresolvedMapSources(map, shipped).map((source) => `${map} -> ${source}`),
    );
    expect(missing).toEqual([]);
  });

  it('ships no second copy of the sources, and stays small', () => {
    expect([...shipped].filter((path) => path.startsWith('lib/'))).toEqual([]);
    // One build with maps (ESM, sources inlined), one without (CommonJS): 5 files per source
    // file. A second copy of the sources or maps for both builds would double it. Counted per
    // source file, so adding a source file does not break the bound (a fixed 720 did at 146).
    const sources = readdirSync(join(root, 'lib'), { recursive: true, encoding: 'utf8' }).filter(
      (path) => path.endsWith('.ts') && !path.endsWith('.d.ts'),
    ).length;
    expect(shipped.size).toBeLessThanOrEqual(sources * 5 + 20);
  });
});
