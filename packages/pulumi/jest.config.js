/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.tsx?$': '@swc/jest' },
  // Tests run against the library SOURCE, not a (possibly stale) build of the root package.
  moduleNameMapper: {
    '^cdk8s-llm-d$': '<rootDir>/../../src/index.ts',
    '^cdk8s-llm-d-pulumi$': '<rootDir>/src/index.ts',
  },
  testEnvironment: 'node',
  testTimeout: 60000,
  clearMocks: true,
};
