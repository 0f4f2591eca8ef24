// ESLint flat config: typescript-eslint's recommended rules, Prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';

/**
 * The folder order of lib/ (docs/architecture.md §1), lowest first. A room may import every room
 * of a lower level, and the rooms named in its `sideways` list; nothing else of lib/.
 */
const LIB_LEVELS = [
  { rooms: { constants: 'lib/secpaid.constants.ts' } },
  { rooms: { core: 'lib/core/**' } },
  {
    rooms: { validation: 'lib/validation/**', models: 'lib/models/**', dto: 'lib/dto/**' },
    sideways: { models: ['validation'], dto: ['validation', 'models'] },
  },
  { rooms: { options: 'lib/options/**' } },
  { rooms: { redis: 'lib/redis/**' } },
  {
    rooms: { http: 'lib/http/**', observability: 'lib/observability/**' },
    sideways: { observability: ['http'] },
  },
  { rooms: { service: 'lib/service/**' } },
  { rooms: { instances: 'lib/instances/**' } },
  // Inside webhooks/: the rooms never import each other; the receiver, controller and providers
  // at webhooks/ root put them together.
  {
    rooms: {
      'webhooks-intake': 'lib/webhooks/intake/**',
      'webhooks-confirmation': 'lib/webhooks/confirmation/**',
      'webhooks-delivery': 'lib/webhooks/delivery/**',
      'webhooks-stores': 'lib/webhooks/stores/**',
      health: 'lib/health/**',
    },
  },
  {
    rooms: { webhooks: 'lib/webhooks/*.ts' },
    sideways: {
      webhooks: [
        'webhooks-intake',
        'webhooks-confirmation',
        'webhooks-delivery',
        'webhooks-stores',
      ],
    },
  },
  { rooms: { module: 'lib/*.ts' } },
];
/** The mock imports nothing from the client: it must behave like SecPaid, not like our code. */
const TESTING_ROOM = { testing: 'lib/testing/**' };

const allRooms = [...LIB_LEVELS.flatMap((level) => Object.keys(level.rooms)), 'testing'];
const libLayerPolicies = LIB_LEVELS.flatMap((level, index) => {
  const below = LIB_LEVELS.slice(0, index).flatMap((lower) => Object.keys(lower.rooms));
  return Object.keys(level.rooms).map((room) => {
    const allowed = new Set([room, ...below, ...(level.sideways?.[room] ?? [])]);
    return {
      from: { element: { type: room } },
      disallow: { to: { element: { types: { anyOf: allRooms.filter((r) => !allowed.has(r)) } } } },
    };
  });
});
libLayerPolicies.push({
  from: { element: { type: 'testing' } },
  disallow: { to: { element: { types: { anyOf: allRooms.filter((r) => r !== 'testing') } } } },
});
const libElements = [
  ...LIB_LEVELS.flatMap((level) => Object.entries(level.rooms)),
  ...Object.entries(TESTING_ROOM),
].map(([type, pattern]) => ({ type, pattern, mode: 'full' }));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'sample-app/dist/**',
      'coverage/**',
      'node_modules/**',
      '.compat/**',
      '.snippets/**',
      'bench/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Library code logs through Nest's Logger only; the mock server's CLI prints by design.
    files: ['lib/**/*.ts'],
    ignores: ['lib/testing/cli/*.cli.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Imports in lib/ point down the folder order (LIB_LEVELS); every lib/ file sits in a room.
    // test/lint/folder-order.spec.ts plants an upward import and checks that this block refuses it.
    files: ['lib/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/elements': libElements,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'boundaries/legacy-warnings': false,
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', policies: libLayerPolicies }],
      'boundaries/no-unknown-files': 'error',
    },
  },
);
