/**
 * Jest 30 in native ESM mode (run through `node --experimental-vm-modules`, see `npm run jest`).
 * ts-jest transpiles each file on its own (isolatedModules); `npm run typecheck` does the type check.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  // test/e2e/ holds the browser test: it has its own config (`npm run test:e2e`).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 20000,
  // Two cores: one worker per core keeps loopback servers and Nest apps from starving each other.
  maxWorkers: 2,
};
