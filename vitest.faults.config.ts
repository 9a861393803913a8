import { defineConfig } from 'vitest/config';

/**
 * The fault suite (tests/faults, issue 14): its own PostgreSQL and Redis, the api and the worker as processes,
 * killed, frozen and restarted under load. Apart from `npm test` because it loads the machine (two cores) and
 * takes a few minutes; `npm run test:faults` runs it, and CI runs it after `npm test`.
 */
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
