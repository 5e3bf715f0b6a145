// The unit tier alone (`npm run test:unit`): pure suites that need no PostgreSQL or Kafka, so no
// global setup starts them. The inner loop; `npm test` runs every tier.
import base from './jest.config.mjs';

const { globalSetup: _setup, globalTeardown: _teardown, ...rest } = base;

export default {
  ...rest,
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.unit.spec.ts'],
};
