// The consumer test-runner axis of `npm run test:compat`: apps laid out as the NestJS CLI
// generates them, each running its OWN test commands (`npm test`, `npm run test:e2e`) on specs
// that import nestjs-secpaid, /health and /testing.
//
// The apps are checked-in copies of what `nest new` (@nestjs/cli 11 and 12) generates
// (runner-apps/cli11, runner-apps/cli12), trimmed of the tooling those two commands never run
// (the CLI itself, linters, formatters): deterministic, no CLI download per run, and a change in a
// future template is a reviewed diff here instead of a red CI night. Test runner configs,
// tsconfig files and scripts are verbatim. runner-apps/shared holds the app code and specs
// every app shares (written with `.js` relative imports; the CommonJS template's apps import
// without extensions, so those are stripped for it, as the CLI 11 template writes them).
import { cp, copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tail } from './exec.mjs';
import { peerTrouble } from './consumer.mjs';

const APPS = join(dirname(fileURLToPath(import.meta.url)), 'runner-apps');

/** The oldest TypeScript a consumer can use (README "TypeScript"); 4.9 cannot parse the typings. */
export const TYPESCRIPT_FLOOR = '5.0.4';

/**
 * The apps. `layers`: [from, to] folder pairs copied in order. `commands`: the app's own npm
 * scripts and the least number of tests each must pass (a run with fewer is a failure, never a
 * pass). `typeFloor`: also type-check the app with TYPESCRIPT_FLOOR under its own tsconfig and
 * under the older Nest tsconfig (`module: commonjs`, node10 resolution).
 */
export const RUNNER_APPS = [
  {
    id: 'nest11-jest-cjs',
    title: 'NestJS 11 CLI app: CommonJS, generated Jest config (ts-jest)',
    layers: [
      ['cli11', '.'],
      ['shared', '.'],
      ['typescript-floor', '.'],
    ],
    bareImports: true,
    commands: [
      ['test', 3],
      ['test:e2e', 2],
    ],
    typeFloor: true,
    allNodes: true,
  },
  {
    id: 'nest11-jest-esm',
    title: 'NestJS 11 app in Jest ESM mode, @nestjs/* 12 companions',
    layers: [
      ['cli12/src', 'src'],
      ['jest-esm', '.'],
      ['shared', '.'],
    ],
    commands: [
      ['test', 3],
      ['test:e2e', 2],
    ],
  },
  {
    id: 'nest12-vitest-esm',
    title: 'NestJS 12 CLI app: ESM, generated Vitest config',
    layers: [
      ['cli12', '.'],
      ['shared', '.'],
    ],
    commands: [
      ['test', 3],
      ['test:e2e', 2],
    ],
  },
];

/** `from './x.js'` -> `from './x'` in every .ts file under `dir` (the CLI 11 import style). */
async function stripJsExtensions(dir) {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const parent = entry.parentPath ?? entry.path;
    if (!entry.isFile() || !entry.name.endsWith('.ts') || parent.includes('node_modules')) continue;
    const file = join(parent, entry.name);
    const source = await readFile(file, 'utf8');
    await writeFile(file, source.replace(/(from '[^']+)\.js'/g, "$1'"));
  }
}

/** Lays the app out in `dir` with the tarball beside it and runs `npm install`. */
export async function installRunnerApp(app, { dir, tarball }) {
  for (const [from, to] of app.layers) {
    await cp(join(APPS, from), join(dir, to), { recursive: true });
  }
  if (app.bareImports) await stripJsExtensions(dir);
  await copyFile(tarball, join(dir, 'nestjs-secpaid.tgz'));
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'],
    { cwd: dir, timeoutMs: 10 * 60_000 },
  );
  const problems = [];
  if (install.code !== 0 || install.timedOut) {
    problems.push(`npm install exited ${install.code}`, tail(install.output));
  }
  const trouble = peerTrouble(install.output);
  if (trouble.length > 0) problems.push(`npm install peer warnings:\n${trouble.join('\n')}`);
  return { ok: problems.length === 0, problems, ms: install.ms };
}

/** Passed-test count from Jest's `Tests: 3 passed, 3 total` or Vitest's `Tests  3 passed (3)`. */
export function passedTests(output) {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const match = /^\s*Tests:?\s+(?:.*?\b)?(\d+) passed/m.exec(plain);
  return match ? Number(match[1]) : 0;
}

/** The environment of a run: no SECPAID_* from the caller (specs must bring their own), CI on. */
function cleanEnv(nodeBinary) {
  const env = { ...process.env, CI: 'true' };
  for (const name of Object.keys(env)) if (name.startsWith('SECPAID_')) delete env[name];
  if (nodeBinary) env.PATH = `${dirname(nodeBinary)}:${env.PATH}`;
  return env;
}

/**
 * Runs the app's own test commands (with `node` from `nodeBinary` first on PATH). Resolves to
 * `{ ok, steps: [{ step, ok, passed, ms, notes }] }`.
 */
export async function runRunnerApp(app, { dir, nodeBinary }) {
  const steps = [];
  for (const [script, minimum] of app.commands) {
    const result = await run('npm', ['run', script], {
      cwd: dir,
      env: cleanEnv(nodeBinary),
      timeoutMs: 5 * 60_000,
    });
    const passed = passedTests(result.output);
    const ok = result.code === 0 && !result.timedOut && passed >= minimum;
    steps.push({
      step: `npm run ${script}`,
      ok,
      passed,
      ms: result.ms,
      notes: ok
        ? []
        : [
            `exit ${result.code}, ${passed} passed (>= ${minimum} expected)`,
            tail(result.output, 40),
          ],
    });
  }
  return { ok: steps.every((s) => s.ok), steps };
}

/**
 * Type-checks the app (specs included) with TYPESCRIPT_FLOOR: under the app's own tsconfig
 * (target lowered to ES2022, the newest 5.0 knows) and under the older Nest tsconfig
 * (`module: commonjs`, node10 resolution, where only typesVersions finds /health and /testing).
 */
export async function typeCheckAtFloor({ dir }) {
  // TypeScript 5.0 rejects the template's `"target": "ES2023"` even when overridden, so the
  // check uses a copy that differs in that one value.
  const own = JSON.parse(await readFile(join(dir, 'tsconfig.json'), 'utf8'));
  own.compilerOptions.target = 'ES2022';
  await writeFile(join(dir, 'tsconfig.floor.json'), `${JSON.stringify(own, null, 2)}\n`);
  const steps = [];
  for (const config of ['tsconfig.floor.json', 'tsconfig.nest10.json']) {
    const result = await run(
      'npx',
      ['-y', '-p', `typescript@${TYPESCRIPT_FLOOR}`, 'tsc', '-p', config, '--noEmit'],
      { cwd: dir, timeoutMs: 5 * 60_000 },
    );
    const ok = result.code === 0;
    steps.push({
      step: `tsc ${TYPESCRIPT_FLOOR} -p ${config}`,
      ok,
      ms: result.ms,
      notes: ok ? [] : [tail(result.output, 30)],
    });
  }
  return { ok: steps.every((s) => s.ok), steps };
}
