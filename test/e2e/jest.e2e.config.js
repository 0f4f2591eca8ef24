/**
 * Jest config of the sample app's end-to-end tests (`npm run test:e2e`): the browser checkout
 * and the second merchant over HTTP. Kept out of the default run: they need the built sample app
 * (`npm run build && npm run build:sample`), and the browser test Debian's Chromium.
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
