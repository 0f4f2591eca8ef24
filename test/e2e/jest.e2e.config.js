/**
 * Jest config of the browser end-to-end test (`npm run test:e2e`). Kept out of the default run:
 * it needs the built sample app (`npm run build && npm run build:sample`) and Debian's Chromium.
 * @type {import('jest').Config}
 */
export default {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  // A cold Chromium start on a busy two-core machine can take a while.
  testTimeout: 90000,
  maxWorkers: 1,
};
