import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure domain code: runs anywhere, `npm run test:unit`) and `integration` (real PostgreSQL
 * and Redis, HTTP through app.inject() or a real port, Chromium for the public page), whose global setup builds the
 * template database. `npm test` runs both.
 */
const shared = {
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    // Two cores: more parallel files than that only adds contention.
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/browser/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
