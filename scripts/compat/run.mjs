// `npm run test:compat`: packs nestjs-secpaid and proves it in throwaway consumer apps
// (ESM/CommonJS, NestJS 11 floor/12, Node 20/24), in CLI-shaped apps that run their own test
// runner (Jest CommonJS, Jest ESM, Vitest; runners.mjs), re-runs the package's Jest suite on
// NestJS 11, and checks the main entry loads without the optional peers. Prints the README table.
//
// Environment: COMPAT_WORKDIR (default: a fresh dir under the OS temp dir; must be outside the
// repo so nothing resolves from the repo's node_modules), COMPAT_KEEP=1 (keep the workdir),
// COMPAT_NODES=<specs> (comma-separated `node` package versions run besides the machine's own,
// default in matrix.mjs), COMPAT_SUITE=0 (skip the Jest legs, for quick local runs: a skipped
// leg is not a pass, so the run then exits 1), COMPAT_TABLE_OUT=<file> (also write the Markdown
// table there), COMPAT_STRICT_TYPES=0 (report the Nest 11 type checks without failing the run),
// COMPAT_ONLY=<ids> (comma-separated consumer and runner-app ids, e.g. `otel-node20`: run only
// those and skip the Jest legs; like COMPAT_SUITE=0 the run then exits 1, as legs were skipped).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tail } from './exec.mjs';
import { installConsumer, installedVersion, runEntry } from './consumer.mjs';
import {
  CONSUMERS as ALL_CONSUMERS,
  NEST_11_DEV,
  NODE_LEGS,
  REPORTED,
  nodeAtLeast,
} from './matrix.mjs';
import { copyRepo, packCopy, runJest, switchToNest11 } from './suite.mjs';
import { renderTable } from './table.mjs';
import {
  RUNNER_APPS as ALL_RUNNER_APPS,
  installRunnerApp,
  runRunnerApp,
  typeCheckAtFloor,
} from './runners.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;
const only = env.COMPAT_ONLY?.split(',').map((id) => id.trim());
const selected = (leg) => only === undefined || only.includes(leg.id);
const CONSUMERS = ALL_CONSUMERS.filter(selected);
const RUNNER_APPS = ALL_RUNNER_APPS.filter(selected);
const runSuite = env.COMPAT_SUITE !== '0' && only === undefined;
const started = Date.now();
const log = (message) =>
  console.log(`[compat +${Math.round((Date.now() - started) / 1000)}s] ${message}`);

const workdir = env.COMPAT_WORKDIR
  ? resolve(env.COMPAT_WORKDIR)
  : await mkdtemp(join(tmpdir(), 'secpaid-compat-'));
if (!relative(repo, workdir).startsWith('..')) {
  console.error(
    `COMPAT_WORKDIR must be outside ${repo}: apps there would resolve the repo's node_modules`,
  );
  process.exit(2);
}
await mkdir(workdir, { recursive: true });
log(`workdir ${workdir}`);

/**
 * Installs one Node version from the npm registry (`node` package) into the workdir. Resolves to
 * `{ label, version, binary }`, or `{ label, error }` when it cannot be installed.
 */
async function installNode(spec) {
  const dir = join(workdir, `node-${spec.replace(/[^\w.]/g, '')}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "private": true }\n');
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn', `node@${spec}`],
    { cwd: dir, timeoutMs: 10 * 60_000 },
  );
  const binary = join(dir, 'node_modules', '.bin', 'node');
  const version = await run(binary, ['--version'], { cwd: dir });
  if (install.code !== 0 || version.code !== 0) {
    return { label: `Node ${spec}`, error: tail(install.output + version.output) };
  }
  const number = version.output.trim().slice(1);
  return { label: `Node ${number}`, version: number, binary };
}

/** The Node versions to install: COMPAT_NODES, or the matrix default. */
function nodeLegs() {
  if (env.COMPAT_NODES === undefined) return NODE_LEGS;
  return env.COMPAT_NODES.split(',')
    .map((spec) => spec.trim())
    .filter(Boolean)
    .map((spec) => ({ spec }));
}

/** `11.0.0 (axios 4.0.1, config 4.0.4, terminus 11.1.1, testing 11.0.0)` as installed in `dir`. */
async function nestSet(dir) {
  const v = async (name) => (await installedVersion(dir, `@nestjs/${name}`)) ?? 'none';
  const companions = [];
  for (const name of ['axios', 'config', 'terminus', 'testing']) {
    companions.push(`${name} ${await v(name)}`);
  }
  return `${await v('common')} (${companions.join(', ')})`;
}

let exitCode = 0;
const results = {
  generatedAt: new Date().toISOString(),
  nodes: [],
  consumers: [],
  runners: [],
  suite: [],
};
const node20 = {
  label: `Node ${process.versions.node}`,
  version: process.versions.node,
  binary: process.execPath,
};
results.nodes.push(node20);

try {
  // 1. Pack from a clean copy of the repo (its own npm ci + build).
  const pkgDir = join(workdir, 'package');
  log(`copying the repo: ${await copyRepo(repo, pkgDir)} files`);
  log('npm ci + build + npm pack in the copy');
  const tarball = await packCopy(pkgDir, workdir);
  log(`packed ${tarball}`);

  // 2. The extra Node versions and the consumer installs, concurrently (network-bound).
  const legs = nodeLegs();
  const nodeJobs = Promise.all(legs.map((leg) => installNode(leg.spec)));
  const runnerInstalls = Promise.all(
    RUNNER_APPS.map((app) =>
      installRunnerApp(app, { dir: join(workdir, 'runner-apps', app.id), tarball }),
    ),
  );
  const installs = await Promise.all(
    CONSUMERS.map(async (consumer) => {
      // A docs install line meant for a newer Node is run by the newest Node of the run.
      const minNode = consumer.docInstall?.minNode;
      const installer = minNode
        ? (await nodeJobs)
            .filter((node) => node.binary && nodeAtLeast(node.version, minNode))
            .sort((a, b) => (nodeAtLeast(a.version, b.version) ? -1 : 1))[0]
        : undefined;
      if (minNode && !installer) {
        return {
          ok: false,
          problems: [`no Node >= ${minNode} in this run to install with`],
          versions: {},
        };
      }
      return installConsumer(consumer, {
        dir: join(workdir, 'apps', consumer.id),
        tarball,
        reported: REPORTED,
        nodeBinary: installer?.binary,
      });
    }),
  );
  for (const node of await nodeJobs) {
    if (node.error) {
      exitCode = 1;
      log(`FAIL installing ${node.label}:\n${node.error}`);
    }
    if (!results.nodes.some((known) => known.version && known.version === node.version)) {
      results.nodes.push(node);
    }
  }
  log(
    `installed ${CONSUMERS.length} consumer apps and ${results.nodes.map((n) => n.label).join(', ')}`,
  );

  // 3. Every consumer entry on every Node version.
  for (const [index, consumer] of CONSUMERS.entries()) {
    const install = installs[index];
    const row = {
      id: consumer.id,
      title: consumer.title,
      minNode: consumer.minNode,
      install,
      runs: {},
    };
    results.consumers.push(row);
    if (!install.ok) {
      exitCode = 1;
      log(`FAIL ${consumer.id}: install\n${install.problems.join('\n')}`);
      continue;
    }
    for (const node of results.nodes) {
      if (!node.binary) continue;
      if (consumer.minNode && !nodeAtLeast(node.version, consumer.minNode)) continue;
      const runs = {};
      for (const entry of consumer.entries) {
        const result = await runEntry({
          dir: join(workdir, 'apps', consumer.id),
          entry,
          node: node.binary,
        });
        runs[entry] = result;
        const steps = result.steps.map((s) => `${s.step}=${s.status}`).join(' ');
        log(`${result.status.toUpperCase()} ${consumer.id} ${entry} on ${node.label}: ${steps}`);
        for (const s of result.steps.filter((s) => s.status !== 'pass')) {
          log(`  ${s.step}: ${s.detail}`);
        }
        for (const note of result.notes) log(`  ${note}`);
        if (result.status === 'fail') exitCode = 1;
      }
      row.runs[node.label] = runs;
    }
  }

  // 3b. The CLI-shaped apps: their own `npm test` and `npm run test:e2e`, no SECPAID_* set.
  for (const [index, install] of (await runnerInstalls).entries()) {
    const app = RUNNER_APPS[index];
    const dir = join(workdir, 'runner-apps', app.id);
    const versions = {};
    for (const name of [...REPORTED, 'typescript', 'jest', 'vitest']) {
      versions[name] = await installedVersion(dir, name);
    }
    const row = { id: app.id, title: app.title, install: { ...install, versions }, runs: {} };
    results.runners.push(row);
    if (!install.ok) {
      exitCode = 1;
      log(`FAIL ${app.id}: install\n${install.problems.join('\n')}`);
      continue;
    }
    const nodes = app.allNodes ? results.nodes.filter((n) => n.binary) : [node20];
    for (const node of nodes) {
      const result = await runRunnerApp(app, { dir, nodeBinary: node.binary });
      row.runs[node.label] = result;
      for (const step of result.steps) {
        log(
          `${step.ok ? 'PASS' : 'FAIL'} ${app.id} ${step.step} on ${node.label}: ${step.passed} tests passed in ${Math.round(step.ms / 1000)} s`,
        );
        for (const note of step.notes) log(`  ${note}`);
      }
      if (!result.ok) exitCode = 1;
    }
    if (app.typeFloor) {
      row.typeFloor = await typeCheckAtFloor({ dir });
      for (const step of row.typeFloor.steps) {
        log(`${step.ok ? 'PASS' : 'FAIL'} ${app.id} ${step.step}`);
        for (const note of step.notes) log(`  ${note}`);
      }
      if (!row.typeFloor.ok) exitCode = 1;
    }
  }

  // 4. The package's own Jest suite on NestJS 12 (as locked) and on the NestJS 11 floor.
  if (runSuite) {
    log('Jest suite on NestJS 12 (lockfile versions) in the copy');
    const jest12 = await runJest(pkgDir);
    results.suite.push({
      title: 'Jest suite',
      nest: await nestSet(pkgDir),
      ...jest12,
    });
    log(`${jest12.ok ? 'PASS' : 'FAIL'} Jest on NestJS 12: ${jest12.summary}`);
    for (const note of jest12.notes) log(`  ${note}`);

    log('switching the copy to NestJS 11.0.0 + 11-era companions');
    const nest11 = await switchToNest11(pkgDir, NEST_11_DEV);
    const nest = await nestSet(pkgDir);
    results.suite.push({
      title: 'npm install of the Nest 11 dev set (no ERESOLVE)',
      nest,
      ...nest11.install,
    });
    // lib + tests must also type-check against the Nest 11 set (@nestjs/axios 4 types axios
    // through its CommonJS typings); COMPAT_STRICT_TYPES=0 turns these rows advisory.
    const strictTypes = env.COMPAT_STRICT_TYPES !== '0';
    results.suite.push({
      title: `Type check (\`tsc --noEmit\`, lib + tests)${strictTypes ? '' : ', advisory'}`,
      nest,
      advisory: !strictTypes,
      ...nest11.typecheck,
    });
    if (nest11.sample) {
      results.suite.push({
        title: `Sample app type check (\`build:sample\`, imports dist)${strictTypes ? '' : ', advisory'}`,
        nest,
        advisory: !strictTypes,
        ...nest11.sample,
      });
    }
    const jest11 = await runJest(pkgDir);
    results.suite.push({ title: 'Jest suite', nest, ...jest11 });
    for (const row of results.suite.slice(1)) {
      log(
        `${row.ok ? 'PASS' : 'FAIL'} ${row.title} on NestJS 11${row.summary ? `: ${row.summary}` : ''}`,
      );
      for (const note of row.notes) log(`  ${note}`);
    }
    if (results.suite.some((row) => !row.ok && !row.advisory)) exitCode = 1;
  } else {
    log('!!! COMPAT_SUITE=0 or COMPAT_ONLY: the Jest suite was NOT run on NestJS 11 / 12');
  }
} catch (error) {
  exitCode = 1;
  log(`FAIL ${error instanceof Error ? error.message : String(error)}`);
}

const table = renderTable(results);
await writeFile(join(workdir, 'compat-results.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(workdir, 'compat-table.md'), `${table}\n`);
if (env.COMPAT_TABLE_OUT) await writeFile(resolve(env.COMPAT_TABLE_OUT), `${table}\n`);
console.log(`\n${table}\n`);

const advisories = results.suite.filter((row) => !row.ok && row.advisory);
if (advisories.length > 0) {
  console.log('!'.repeat(100));
  console.log(
    '!!! ADVISORY FAILURES (reported, not failing the run, because COMPAT_STRICT_TYPES=0):',
  );
  for (const row of advisories)
    console.log(`!!!   ${row.title} on NestJS ${row.nest}: ${row.summary}`);
  console.log('!'.repeat(100));
}
const skippedNode24 = !results.nodes.some((node) => node.binary && node.version.startsWith('24.'));
const skippedSuite = !runSuite;
if (skippedNode24 || skippedSuite || only !== undefined) {
  console.log('!'.repeat(100));
  console.log('!!! COMPAT LEGS NOT RUN (a skipped leg is not a pass):');
  if (skippedNode24)
    console.log('!!!   the Node 24 leg (not in COMPAT_NODES, or its install failed)');
  if (skippedSuite)
    console.log('!!!   the Jest suite on NestJS 12 and 11 (COMPAT_SUITE=0 or COMPAT_ONLY)');
  if (only !== undefined) console.log(`!!!   every leg but ${only.join(', ')} (COMPAT_ONLY)`);
  console.log('!'.repeat(100));
  exitCode = 1;
}
console.log(
  `compat: ${exitCode === 0 ? 'PASS' : 'FAIL'} in ${Math.round((Date.now() - started) / 1000)} s`,
);
if (env.COMPAT_KEEP === '1' || exitCode !== 0) console.log(`compat: workdir kept at ${workdir}`);
else await rm(workdir, { recursive: true, force: true });
process.exitCode = exitCode;
