// Last step of `npm run build`: dist/cjs holds the CommonJS build (tsconfig.build.cjs.json) inside
// a `"type": "module"` package, so it gets its own package.json that makes Node and TypeScript read
// its .js and .d.ts files as CommonJS.
import { writeFile } from 'node:fs/promises';

await writeFile(
  new URL('../../dist/cjs/package.json', import.meta.url),
  `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`,
);
