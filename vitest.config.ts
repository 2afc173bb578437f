import { defineConfig } from 'vitest/config';

// Three tiers: pure unit tests, integration tests on a real database and server, and
// browser tests in real Chromium.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // Caps, not budgets: tests wait on events, and a busy laptop may be slow to deliver.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/e2e-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          // Browser tests run after the rest, one file at a time (each starts a server).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
