// The package's own checks in a throwaway copy of the repo: pack it, then re-run Jest on Nest 11.
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { run, tail } from './exec.mjs';
import { peerTrouble } from './consumer.mjs';

/** Top-level entries never copied when git is not available (mirrors .gitignore). */
const UNCOPIED = new Set(['.git', 'node_modules', 'dist', 'coverage', '.compat']);

/** The repo's files: tracked + untracked minus .gitignore'd, or a plain walk without git. */
async function listRepoFiles(repo) {
  const listed = await run(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: repo,
    },
  );
  if (listed.code === 0) return listed.output.split('\0').filter(Boolean);
  const entries = await readdir(repo, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(repo, join(entry.parentPath ?? entry.path, entry.name)))
    .filter(
      (file) => !UNCOPIED.has(file.split(sep)[0]) && !file.split(sep).includes('node_modules'),
    )
    .filter((file) => !file.endsWith('.tgz') && !file.endsWith('.tsbuildinfo'));
}

/**
 * Copies the repo's files into `dir`, so the copy has its own node_modules and a clean dist,
 * untouched by anyone working in the checkout.
 */
export async function copyRepo(repo, dir) {
  const files = (await listRepoFiles(repo)).filter((file) => existsSync(join(repo, file)));
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(repo, file), join(dir, file));
  }
  return files.length;
}

/** Runs an npm command in the copy and throws with the output's tail when it fails. */
async function npm(dir, args, what, timeoutMs = 10 * 60_000) {
  const result = await run('npm', args, { cwd: dir, timeoutMs });
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${tail(result.output)}`);
  return result;
}

/** `npm ci`, build and `npm pack` in the copy; resolves to the tarball's absolute path. */
export async function packCopy(dir, packDestination) {
  await npm(
    dir,
    ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'],
    'npm ci',
  );
  await npm(dir, ['run', 'build'], 'npm run build');
  const packed = await npm(
    dir,
    ['pack', '--json', '--pack-destination', packDestination, '--loglevel=warn'],
    'npm pack',
  );
  const [info] = JSON.parse(packed.output.slice(packed.output.indexOf('[')));
  return join(packDestination, info.filename);
}

/** `Tests: 3 failed, 40 passed, 43 total` -> that text; undefined when Jest printed no summary. */
function jestSummary(output) {
  const match = /^Tests:\s+(.+)$/m.exec(output);
  return match ? match[1].trim() : undefined;
}

/** Runs a tsc-based npm script; resolves to `{ ok, summary, notes }`. */
async function typeCheck(dir, args) {
  const result = await run('npm', args, { cwd: dir, timeoutMs: 10 * 60_000 });
  const errors = result.output.split('\n').filter((line) => /error TS\d+/.test(line));
  return {
    ok: result.code === 0,
    summary: result.code === 0 ? undefined : `${errors.length} type errors`,
    notes: result.code === 0 ? [] : [tail(result.output, 40)],
  };
}

/** Runs Jest in the copy (as `npm run jest`), resolving to `{ ok, summary, notes }`. */
export async function runJest(dir) {
  const result = await run('npm', ['run', 'jest', '--', '--ci'], {
    cwd: dir,
    timeoutMs: 30 * 60_000,
  });
  const summary = jestSummary(result.output) ?? 'no Jest summary';
  const ok = result.code === 0;
  // Jest prints each failure twice (inline and in the summary): keep one of each.
  const failures = [
    ...new Set(
      result.output
        .split('\n')
        .filter((line) => /^\s*(FAIL |●)/.test(line))
        .map((line) => line.trim().replace(/ \([\d.]+ m?s\)$/, '')),
    ),
  ].slice(0, 40);
  return {
    ok,
    summary,
    notes: ok ? [] : [`exit ${result.code}`, ...failures, tail(result.output, 15)],
  };
}

/**
 * Swaps the copy's dev dependencies to the given Nest 11 set and installs them, then type-checks
 * lib + tests (and the sample app) against them. Resolves to `{ install, typecheck, sample? }`.
 */
export async function switchToNest11(dir, devSet) {
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  manifest.devDependencies = { ...manifest.devDependencies, ...devSet };
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'],
    { cwd: dir, timeoutMs: 10 * 60_000 },
  );
  const installProblems = [];
  if (install.code !== 0)
    installProblems.push(`npm install exited ${install.code}`, tail(install.output));
  const trouble = peerTrouble(install.output);
  if (trouble.length > 0) installProblems.push(`npm install peer warnings:\n${trouble.join('\n')}`);

  // Emitted JavaScript does not depend on the Nest version, so dist from the packed build stays.
  const typecheck = await typeCheck(dir, ['run', 'typecheck']);
  // The sample app imports the built package by name: a TypeScript consumer of dist's typings.
  const sample = manifest.scripts?.['build:sample']
    ? await typeCheck(dir, ['run', 'build:sample'])
    : undefined;
  return {
    install: { ok: installProblems.length === 0, notes: installProblems },
    typecheck,
    sample,
  };
}
