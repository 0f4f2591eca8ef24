/**
 * The TypeScript blocks of the README and the guides in docs/, as the docs snippet specs read
 * them: extraction, a type check against the package's public entries, and the NestJS CLI
 * template's lint rules.
 *
 * Why extraction (and not snippet files the docs include): the Markdown stays what a reader and
 * GitHub see, with no build step between a file and the page, and every block is checked where
 * it stands. Each ```ts block is one module; a block that is deliberately partial carries
 * `<!-- snippet: skip: <reason> -->` on the line before it (use sparingly); a block the specs
 * also run or compare carries `<!-- snippet: <name> -->` (both: `<name> skip: <reason>`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One fenced TypeScript block. */
export interface DocSnippet {
  /** Markdown file, relative to the repository. */
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** `<!-- snippet: name -->` before the block, if any. */
  name?: string;
  /** `<!-- snippet: skip reason -->` (or `name skip: reason`) before the block: not compiled. */
  skipReason?: string;
  code: string;
}

const MARKER = /^<!--\s*snippet:\s*(.*?)\s*-->$/;

/** The Markdown files whose blocks are checked: the README and every guide in docs/. */
export function documentationFiles(): string[] {
  const guides = readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...guides];
}

/** Every ```ts / ```typescript block of `doc` (a path relative to the repository). */
export function extractSnippets(doc: string, text = readFileSync(join(REPO, doc), 'utf8')) {
  const lines = text.split('\n');
  const snippets: DocSnippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,}|~{3,})\s*(\S*)/.exec(lines[i]);
    if (!fence) continue;
    const [, , marks, lang] = fence;
    let end = i + 1;
    while (end < lines.length && !lines[end].trimStart().startsWith(marks)) end++;
    if (lang === 'ts' || lang === 'typescript') {
      const snippet: DocSnippet = {
        doc,
        line: i + 1,
        code: `${lines.slice(i + 1, end).join('\n')}\n`,
      };
      let before = i - 1;
      while (before >= 0 && lines[before].trim() === '') before--;
      const marker = before >= 0 ? MARKER.exec(lines[before].trim()) : null;
      if (marker) Object.assign(snippet, parseMarker(marker[1]));
      snippets.push(snippet);
    }
    i = end;
  }
  return snippets;
}

/**
 * `<!-- snippet: [name] [skip[:] reason] -->`: `quick-start`, `skip: a fragment`,
 * `otel-tracing skip: needs a package the repository does not install`.
 */
function parseMarker(text: string): Pick<DocSnippet, 'name' | 'skipReason'> {
  const [first, ...rest] = text.split(/\s+/);
  const isSkip = (word: string | undefined) => word === 'skip' || word === 'skip:';
  const reason = (words: string[]) => words.join(' ') || 'no reason given';
  if (isSkip(first)) return { skipReason: reason(rest) };
  if (isSkip(rest[0])) return { name: first, skipReason: reason(rest.slice(1)) };
  return { name: first };
}

/** The one block named `name` in `doc`; throws when there is not exactly one. */
export function namedSnippet(doc: string, name: string): DocSnippet {
  const found = extractSnippets(doc).filter((snippet) => snippet.name === name);
  if (found.length !== 1) throw new Error(`${doc}: ${found.length} blocks named '${name}'`);
  return found[0];
}

/**
 * The package's public entries (`nestjs-secpaid`, `/health`, `/testing`) mapped to their
 * sources: package.json `exports` types, `dist/` -> `lib/` as tsconfig.build.json compiles them.
 */
export function publicEntrySources(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { import?: { types?: string } }>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string' || !target.import?.types) continue;
    const source = target.import.types.replace(/^\.\/dist\//, 'lib/').replace(/\.d\.ts$/, '.ts');
    entries[join(manifest.name, subpath).replace(/\/\.$/, '')] = join(REPO, source);
  }
  return entries;
}

/** A snippet placed where it is compiled. */
export interface PlacedSnippet {
  snippet: DocSnippet;
  /** Absolute path the block is compiled as (its relative imports resolve from there). */
  fileName: string;
}

/**
 * Where each block is compiled: a named block listed in `locations` as that file (so its
 * relative imports resolve as they do in the app it belongs to), every other block as a file of
 * its own under `.snippets/` (never written to disk).
 */
export function placeSnippets(
  snippets: DocSnippet[],
  locations: Record<string, string> = {},
): PlacedSnippet[] {
  return snippets.map((snippet) => {
    const located = snippet.name ? locations[snippet.name] : undefined;
    const slug = snippet.doc.replace(/[^\w]+/g, '-');
    const fileName = located
      ? join(REPO, located)
      : join(REPO, '.snippets', `${slug}-line-${snippet.line}.ts`);
    return { snippet, fileName };
  });
}

/** Compiler options of the check: strict, decorators as Nest apps compile them, Jest globals. */
export function snippetCompilerOptions(): ts.CompilerOptions {
  const paths: Record<string, string[]> = {};
  for (const [specifier, source] of Object.entries(publicEntrySources())) {
    paths[specifier] = [source];
  }
  return {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['node', 'jest'],
    typeRoots: [join(REPO, 'node_modules', '@types')],
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    paths,
  };
}

/** A program over the placed snippets, reading their text from memory. */
export function snippetProgram(placed: PlacedSnippet[]): ts.Program {
  const options = snippetCompilerOptions();
  const host = ts.createCompilerHost(options, true);
  const virtual = new Map(placed.map((p) => [p.fileName, p.snippet.code]));
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(resolve(fileName));
    if (text === undefined) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    return ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => virtual.has(resolve(fileName)) || fileExists(fileName);
  host.readFile = (fileName) => virtual.get(resolve(fileName)) ?? readFile(fileName);
  return ts.createProgram({ rootNames: [...virtual.keys()], options, host });
}

/** `README.md:51 (block at line 51): message`, per problem. */
export function describeProblem(placed: PlacedSnippet, line: number, message: string): string {
  const { doc, line: fence } = placed.snippet;
  return `${doc}:${fence + line} (block at line ${fence}): ${message}`;
}

/** Type errors in the snippets themselves (not in the files they import). */
export function typeProblems(program: ts.Program, placed: PlacedSnippet[]): string[] {
  const problems: string[] = [];
  for (const p of placed) {
    const source = program.getSourceFile(p.fileName);
    if (!source) {
      problems.push(describeProblem(p, 0, 'not compiled'));
      continue;
    }
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    for (const diagnostic of diagnostics) {
      const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      problems.push(describeProblem(p, line + 1, `TS${diagnostic.code} ${message}`));
    }
  }
  return problems;
}

/**
 * The NestJS CLI template's lint (`nest new`, 11 and 12: typescript-eslint's
 * recommendedTypeChecked with `no-explicit-any` off and `no-floating-promises` /
 * `no-unsafe-argument` as warnings), every warning counted as a problem, run on the snippets
 * with the program's type information.
 */
export async function lintProblems(program: ts.Program, placed: PlacedSnippet[]) {
  const { ESLint } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  const eslint = new ESLint({
    cwd: REPO,
    overrideConfigFile: true,
    overrideConfig: [
      ...(tseslint.configs.recommendedTypeChecked as object[]),
      {
        files: ['**/*.ts'],
        languageOptions: { parserOptions: { programs: [program], project: false } },
        rules: {
          '@typescript-eslint/no-explicit-any': 'off',
          '@typescript-eslint/no-floating-promises': 'warn',
          '@typescript-eslint/no-unsafe-argument': 'warn',
        },
      },
    ],
  });
  const problems: string[] = [];
  for (const p of placed) {
    const [result] = await eslint.lintText(p.snippet.code, { filePath: p.fileName });
    for (const message of result?.messages ?? []) {
      problems.push(
        describeProblem(p, message.line, `${message.ruleId ?? 'eslint'}: ${message.message}`),
      );
    }
  }
  return problems;
}

/** A relative Markdown link target, resolved from `doc`: `{ file, anchor }`. */
export function relativeLinks(doc: string): { target: string; file: string; anchor?: string }[] {
  const text = readFileSync(join(REPO, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
  const links = [];
  for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1];
    if (/^[a-z]+:/i.test(target)) continue;
    const [path, anchor] = target.split('#');
    const file = path === '' ? doc : relative(REPO, resolve(REPO, dirname(doc), path));
    links.push({ target, file, anchor });
  }
  return links;
}

/** GitHub's heading anchors of a Markdown file. */
export function headingAnchors(doc: string): Set<string> {
  const text = readFileSync(join(REPO, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = match[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
