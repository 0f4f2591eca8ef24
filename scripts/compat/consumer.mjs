// Creates one throwaway consumer app, installs the packed tarball into it, and runs its entries.
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { run, tail } from './exec.mjs';

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), 'apps');
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The fenced block after `<!-- snippet: <name> ... -->` in a Markdown file of the repository
 * (the marker test/support/doc-snippets.checker.ts reads too). Throws when it is not there.
 */
export async function docBlock(doc, name) {
  const text = await readFile(join(REPO, doc), 'utf8');
  const marker = new RegExp(
    `<!--\\s*snippet:\\s*${name}(\\s[^>]*)?-->\\s*\\n\\s*\\n?\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``,
  );
  const match = marker.exec(text);
  if (!match) throw new Error(`${doc}: no block <!-- snippet: ${name} -->`);
  return match[2];
}

/**
 * Runs each `npm install ...` line of a docs block in `dir`, as written, with `nodeBinary` (when
 * given) first on the PATH: npm picks versions whose `engines` suit the Node that runs it.
 */
async function installFromDocs(dir, { doc, block }, nodeBinary) {
  const problems = [];
  const lines = (await docBlock(doc, block)).split('\n').filter((l) => l.startsWith('npm install'));
  if (lines.length === 0) problems.push(`${doc} ${block}: no npm install line`);
  for (const line of lines) {
    const args = line.split(/\s+/).slice(1);
    const env = { ...process.env };
    if (nodeBinary) env.PATH = `${dirname(nodeBinary)}:${env.PATH}`;
    const install = await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=warn'], {
      cwd: dir,
      env,
      timeoutMs: 10 * 60_000,
    });
    if (install.code !== 0 || install.timedOut) {
      problems.push(`\`${line}\` exited ${install.code}`, tail(install.output));
    }
    const trouble = peerTrouble(install.output);
    if (trouble.length > 0) problems.push(`\`${line}\` peer warnings:\n${trouble.join('\n')}`);
  }
  return problems;
}

/** npm output that means our peer ranges were not honoured (npm warns instead of failing). */
const PEER_TROUBLE = [/ERESOLVE/, /overriding peer dependency/i, /conflicting peer dependency/i];

/** Lines of npm output that show peer trouble, empty when the install was clean. */
export function peerTrouble(output) {
  return output.split('\n').filter((line) => PEER_TROUBLE.some((pattern) => pattern.test(line)));
}

/** `name@version` of what is installed in `dir`, or undefined. */
export async function installedVersion(dir, name) {
  const file = join(dir, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')).version;
}

/**
 * Installs a consumer app; resolves to `{ ok, problems, versions, ms }`.
 * @param {object} consumer an entry of CONSUMERS
 * @param {{ dir: string, tarball: string, reported: string[], nodeBinary?: string }} options
 *   `nodeBinary`: the Node that runs the consumer's docs install line (default: this one)
 */
export async function installConsumer(consumer, { dir, tarball, reported, nodeBinary }) {
  await mkdir(dir, { recursive: true });
  for (const file of await readdir(TEMPLATES)) await cp(join(TEMPLATES, file), join(dir, file));
  const manifest = {
    name: `secpaid-compat-${consumer.id}`,
    private: true,
    type: consumer.type,
    dependencies: { ...consumer.dependencies, 'nestjs-secpaid': `file:${tarball}` },
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const problems = [];
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'],
    { cwd: dir, timeoutMs: 10 * 60_000 },
  );
  if (install.code !== 0 || install.timedOut) {
    problems.push(`npm install exited ${install.code}${install.timedOut ? ' (timeout)' : ''}`);
    problems.push(tail(install.output));
  }
  const trouble = peerTrouble(install.output);
  if (trouble.length > 0) problems.push(`npm install peer warnings:\n${trouble.join('\n')}`);
  if (problems.length === 0 && consumer.docInstall) {
    problems.push(...(await installFromDocs(dir, consumer.docInstall, nodeBinary)));
  }
  for (const [file, { doc, block }] of Object.entries(consumer.docFiles ?? {})) {
    // TypeScript from the docs, transpiled as written (types are checked by the snippet spec).
    const source = await docBlock(doc, block);
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(dir, file), outputText);
  }

  if (problems.length === 0) {
    const ls = await run('npm', ['ls', '--all'], { cwd: dir, timeoutMs: 120_000 });
    if (ls.code !== 0) {
      const bad = ls.output.split('\n').filter((line) => /invalid|missing|ERR/i.test(line));
      problems.push(`npm ls --all exited ${ls.code}:\n${bad.slice(0, 20).join('\n')}`);
    }
    for (const name of consumer.absent ?? []) {
      if (existsSync(join(dir, 'node_modules', name))) problems.push(`${name} was installed`);
    }
  }
  const versions = {};
  for (const name of reported) versions[name] = await installedVersion(dir, name);
  return { ok: problems.length === 0, problems, versions, ms: install.ms };
}

/**
 * Runs one entry file of an installed consumer with the given node binary and parses its
 * `COMPAT {json}` step lines. Status: `pass`, or `fail` (a failed step, a non-zero exit, a
 * timeout, or no step printed at all).
 */
export async function runEntry({ dir, entry, node }) {
  const result = await run(node, [entry], { cwd: dir, timeoutMs: 90_000 });
  const steps = result.output
    .split('\n')
    .filter((line) => line.startsWith('COMPAT '))
    .map((line) => JSON.parse(line.slice('COMPAT '.length)));
  const failed =
    result.code !== 0 ||
    result.timedOut ||
    steps.length === 0 ||
    steps.some((s) => s.status !== 'pass');
  const status = failed ? 'fail' : 'pass';
  const notes = [];
  if (result.timedOut) notes.push('did not exit within 90 s (open handle?)');
  else if (result.code !== 0) notes.push(`exit code ${result.code}`);
  if (status === 'fail') notes.push(tail(result.output, 25));
  return { status, steps, notes, ms: result.ms };
}
