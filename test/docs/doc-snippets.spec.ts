/**
 * Docs are code: every ```ts block of the README and of the guides in docs/ compiles against the
 * package's public entries and passes the NestJS CLI template's lint; the README's e2e example
 * and the handler unit spec in docs/testing.md are the files test:compat runs in CLI-made apps;
 * every relative link and anchor of the docs resolves.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO,
  documentationFiles,
  extractSnippets,
  headingAnchors,
  lintProblems,
  namedSnippet,
  placeSnippets,
  relativeLinks,
  snippetProgram,
  typeProblems,
  type DocSnippet,
} from '../support/doc-snippets.checker.js';

/**
 * Blocks that belong to the CLI-shaped app of scripts/compat/runner-apps (AppModule,
 * PaymentsListener): compiled as those files, so their relative imports resolve there.
 */
const RUNNER_APP_FILES: Record<string, { doc: string; file: string }> = {
  e2e: { doc: 'README.md', file: 'scripts/compat/runner-apps/shared/test/secpaid.e2e-spec.ts' },
  'unit-spec': {
    doc: 'docs/testing.md',
    file: 'scripts/compat/runner-apps/shared/src/payments.listener.spec.ts',
  },
};

const LOCATIONS = Object.fromEntries(
  Object.entries(RUNNER_APP_FILES).map(([name, { file }]) => [name, file]),
);

/** The runner apps' files use `.js` relative imports; the CLI 11 app strips them (runners.mjs). */
const withoutJsExtensions = (source: string) => source.replace(/(from '\.[^']+)\.js'/g, "$1'");

describe('documentation snippets', () => {
  const snippets = documentationFiles().flatMap((doc) => extractSnippets(doc));
  const checked = snippets.filter((snippet) => snippet.skipReason === undefined);
  const placed = placeSnippets(checked, LOCATIONS);
  const program = snippetProgram(placed);

  it('finds the README blocks and skips few', () => {
    const readme = snippets.filter((snippet) => snippet.doc === 'README.md');
    expect(readme.length).toBeGreaterThanOrEqual(6);
    expect(readme.filter((snippet) => snippet.skipReason !== undefined)).toEqual([]);
    // Skipped blocks are the exception: each says why (a package the repository lacks, ...).
    const skipped = snippets.filter((snippet) => snippet.skipReason !== undefined);
    expect(skipped.length).toBeLessThanOrEqual(Math.max(2, snippets.length / 10));
  });

  it('every TypeScript block compiles against the public entries', () => {
    expect(typeProblems(program, placed)).toEqual([]);
  });

  it("every TypeScript block passes the NestJS CLI template's lint", async () => {
    expect(await lintProblems(program, placed)).toEqual([]);
  }, 180_000);

  it.each(Object.entries(RUNNER_APP_FILES))(
    'the block named %s is the file test:compat runs in the CLI-made apps',
    (name, { doc, file }) => {
      const onDisk = readFileSync(join(REPO, file), 'utf8');
      expect(namedSnippet(doc, name).code).toBe(withoutJsExtensions(onDisk));
    },
  );

  it('every relative link and anchor of the docs resolves', () => {
    const broken: string[] = [];
    for (const doc of documentationFiles().concat('CONTRIBUTING.md')) {
      for (const link of relativeLinks(doc)) {
        if (!existsSync(join(REPO, link.file))) broken.push(`${doc}: ${link.target}`);
        else if (link.anchor && link.file.endsWith('.md')) {
          if (!headingAnchors(link.file).has(link.anchor)) broken.push(`${doc}: ${link.target}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the snippet check itself', () => {
  const check = (code: string) => {
    const snippet: DocSnippet = { doc: 'README.md', line: 1, code };
    const placed = placeSnippets([snippet]);
    const program = snippetProgram(placed);
    return { placed, program, types: typeProblems(program, placed) };
  };

  it('reports a block that stops compiling, with its file and line', () => {
    const { types } = check(
      "import { SecPaidService } from 'nestjs-secpaid';\nexport const m: SecPaidService['nope'] = 1;\n",
    );
    expect(types).toEqual([expect.stringMatching(/^README\.md:3 \(block at line 1\): TS2339 /)]);
  });

  it('reports an untyped useFactory parameter and an async method without await', async () => {
    const { placed, program, types } = check(`import { Module } from '@nestjs/common';
import { SecPaidModule, secpaidConfig } from 'nestjs-secpaid';

@Module({
  imports: [
    SecPaidModule.forRootAsync({
      ...secpaidConfig.asProvider(),
      useFactory: (options) => ({ ...options, webhooks: { path: options.path } }),
    }),
  ],
})
export class AppModule {
  async hello(): Promise<string> {
    return 'hi';
  }
}
`);
    expect(types).toEqual([]);
    const lint = await lintProblems(program, placed);
    expect(lint).toEqual(
      expect.arrayContaining([
        expect.stringContaining('@typescript-eslint/no-unsafe-member-access'),
        expect.stringContaining('@typescript-eslint/require-await'),
      ]),
    );
  }, 180_000);

  it('reads skip and name markers', () => {
    const text = [
      '<!-- snippet: skip shows a fragment -->',
      '',
      '```ts',
      'fragment(',
      '```',
      '<!-- snippet: quick-start -->',
      '```typescript',
      'export const a = 1;',
      '```',
      '<!-- snippet: otel skip: needs a package -->',
      '```ts',
      'import x from "y";',
      '```',
      '```bash',
      'echo',
      '```',
    ].join('\n');
    expect(extractSnippets('x.md', text)).toEqual([
      { doc: 'x.md', line: 3, code: 'fragment(\n', skipReason: 'shows a fragment' },
      { doc: 'x.md', line: 7, code: 'export const a = 1;\n', name: 'quick-start' },
      {
        doc: 'x.md',
        line: 11,
        code: 'import x from "y";\n',
        name: 'otel',
        skipReason: 'needs a package',
      },
    ]);
  });
});
