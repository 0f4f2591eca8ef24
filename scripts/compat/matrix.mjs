// The compatibility matrix: which throwaway consumer apps exist and what each one installs.

/** Peers every consumer needs besides Nest itself. */
const BASE = { axios: '^1.0.0', rxjs: '^7.1.0', 'reflect-metadata': '^0.2.0' };

/** NestJS 12 with its 12-era companions. */
export const NEST_12 = {
  '@nestjs/common': '^12.0.0',
  '@nestjs/core': '^12.0.0',
  '@nestjs/platform-express': '^12.0.0',
  '@nestjs/axios': '^12.0.0',
  '@nestjs/config': '^12.0.0',
  '@nestjs/terminus': '^12.0.0',
  'class-validator': '^0.15.0',
  ...BASE,
};

/** NestJS 11.0.0, the floor of the peer range, with the 11-era companions. */
export const NEST_11_FLOOR = {
  '@nestjs/common': '11.0.0',
  '@nestjs/core': '11.0.0',
  '@nestjs/platform-express': '11.0.0',
  '@nestjs/axios': '^4.0.0',
  '@nestjs/config': '^4.0.0',
  '@nestjs/terminus': '^11.0.0',
  'class-validator': '^0.14.0',
  ...BASE,
};

/** The Nest 11 dev set the package's own Jest suite is re-run against (in a copy of the repo). */
export const NEST_11_DEV = {
  '@nestjs/common': '11.0.0',
  '@nestjs/core': '11.0.0',
  '@nestjs/platform-express': '11.0.0',
  // The webhook specs run on Fastify too; 11.0.3 is the first 11.x whose peers accept Nest 11.
  '@nestjs/platform-fastify': '11.0.3',
  '@nestjs/testing': '11.0.0',
  '@nestjs/axios': '^4.0.0',
  '@nestjs/config': '^4.0.0',
  '@nestjs/terminus': '^11.0.0',
};

/**
 * A consumer that follows docs/observability.md exactly as written: its install line `block` run
 * after the app's own install (by a Node >= `minNode` when given: npm picks versions by the Node
 * that runs it), its `src/tracing.ts` as tracing.mjs; the flow must then export the package's span.
 */
function otelConsumer(id, how, block, minNode) {
  return {
    id,
    title: `OpenTelemetry SDK ${how}, NestJS 12`,
    type: 'module',
    dependencies: NEST_12,
    docInstall: { doc: 'docs/observability.md', block, minNode },
    docFiles: { 'tracing.mjs': { doc: 'docs/observability.md', block: 'otel-tracing' } },
    entries: ['otel.mjs'],
    minNode,
  };
}

/**
 * Consumer apps. `entries` run with every Node version; each prints `COMPAT {json}` step lines.
 * `absent` lists packages that must NOT be installed (the optional peers check).
 */
export const CONSUMERS = [
  {
    id: 'esm-nest12',
    title: 'ESM app, NestJS 12',
    type: 'module',
    dependencies: NEST_12,
    entries: ['main.mjs'],
  },
  {
    id: 'cjs-nest11',
    title: 'CommonJS app, NestJS 11.0.0 (floor)',
    type: 'commonjs',
    dependencies: NEST_11_FLOOR,
    entries: ['main.cjs'],
  },
  {
    id: 'cjs-nest12',
    title: 'CommonJS app, NestJS 12',
    type: 'commonjs',
    dependencies: NEST_12,
    entries: ['main.cjs'],
  },
  {
    id: 'no-optional-peers',
    title: 'Main entry without @nestjs/config and @nestjs/terminus (NestJS 12)',
    type: 'module',
    dependencies: {
      '@nestjs/common': '^12.0.0',
      '@nestjs/core': '^12.0.0',
      '@nestjs/axios': '^12.0.0',
      'class-validator': '^0.15.0',
      ...BASE,
    },
    absent: ['@nestjs/config', '@nestjs/terminus'],
    entries: ['minimal.mjs', 'minimal.cjs'],
  },
  otelConsumer(
    'otel-node20',
    'installed as docs/observability.md says, by Node 20',
    'otel-install',
  ),
  otelConsumer(
    'otel-pinned',
    'from the pinned line of docs/observability.md',
    'otel-install-node20',
  ),
  // Installed by the newest Node of the run, so npm picks the SDK's newest line (it needs Node
  // 22.15), and run only where that line runs.
  otelConsumer(
    'otel-latest',
    'installed as docs/observability.md says, by Node 22.15+',
    'otel-install',
    '22.15.0',
  ),
];

/** Whether `version` (x.y.z) is at least `minimum` (x.y.z). */
export function nodeAtLeast(version, minimum) {
  const [a, b] = [version, minimum].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** Packages whose resolved versions the table reports. */
export const REPORTED = [
  '@nestjs/common',
  '@nestjs/axios',
  '@nestjs/config',
  '@nestjs/terminus',
  'class-validator',
];

/**
 * Node versions installed from the npm registry (`node` package) and run besides the machine's
 * own: the floors of `engines.node` (`^20.19.0 || ^22.12.0`, where require(esm) is unflagged)
 * and the newest 24.
 */
export const NODE_LEGS = [{ spec: '20.19.0' }, { spec: '22.12.0' }, { spec: '^24' }];
