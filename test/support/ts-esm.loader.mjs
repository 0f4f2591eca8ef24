// Node ESM loader hooks that run this repo's TypeScript straight from source in child processes
// (multi-replica tests fork real Node processes; ts-jest only transpiles inside Jest).
// Transpile-only, like ts-jest with isolatedModules; `npm run typecheck` does the type check.
// Output is cached on disk by content hash, so only the first child pays for TypeScript.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE_DIR = join(tmpdir(), 'nestjs-secpaid-ts-loader-v1');
let typescript;

async function transpile(source, fileName) {
  typescript ??= (await import('typescript')).default;
  const ts = typescript;
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      isolatedModules: true,
      esModuleInterop: true,
      inlineSourceMap: true,
    },
  }).outputText;
}

/** `./x.js` that is really `./x.ts` in the source tree. */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('file:');
    if (relative && specifier.endsWith('.js')) {
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const source = await readFile(fileName, 'utf8');
  const cached = join(CACHE_DIR, createHash('sha1').update(fileName).update(source).digest('hex'));
  let output;
  try {
    output = await readFile(cached, 'utf8');
  } catch {
    output = await transpile(source, fileName);
    await mkdir(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    await writeFile(partial, output);
    await rename(partial, cached);
  }
  return { format: 'module', source: output, shortCircuit: true };
}
