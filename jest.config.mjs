// Jest runs in ESM mode because NestJS 12 is ESM-only (see ../shared/STACK.md).
// Type errors are caught by `npm run typecheck`; ts-jest only transpiles here.
const libs = [
  'domain',
  'event-store',
  'projections',
  'messaging',
  'platform',
  'commands',
  'schema',
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((lib) => [`^#${lib}$`, `<rootDir>/libs/${lib}/src/index.ts`])),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  globalSetup: '<rootDir>/test/harness/global-setup.mjs',
  globalTeardown: '<rootDir>/test/harness/global-teardown.mjs',
  // JEST_SEQUENCE=reverse runs the suites in the reverse of Jest's order, to catch order dependence
  // (without a cache Jest orders by file size, with one by remembered durations).
  ...(process.env.JEST_SEQUENCE === 'reverse'
    ? { testSequencer: '<rootDir>/test/harness/reverse-sequencer.mjs' }
    : {}),
  // The cache (transforms, and the durations Jest orders suites by) belongs to the checkout, not to
  // the machine's /tmp: a fresh clone starts with none, as CI does, and checkouts never share one.
  cacheDirectory: '<rootDir>/.test-run/jest-cache',
  testTimeout: 60_000,
  // One worker process, not the Jest process itself (`--maxWorkers=1` in package.json rather than
  // `--runInBand`), so that it can be replaced: every suite leaves its module registry (NestJS, pg,
  // kafkajs…) behind, the heap grew past 2.5 GB over 70 suites, and the last suites of a full run took
  // 5-10 times as long as alone while the collector worked. A worker past this after a suite is
  // started afresh, which costs about a second.
  workerIdleMemoryLimit: '1GB',
  verbose: false,
};
