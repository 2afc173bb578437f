import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Vitest's default in a run is one worker fewer than the cores: on a 2-core machine, one file
// at a time, with the other core idle while a test waits on its server or database. Unit and
// integration files share nothing (each has its own database, port and data directory).
const workers = Math.max(availableParallelism(), 2);

// Three tiers: pure unit tests, integration tests on a real database and server, and
// browser tests in real Chromium.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], maxWorkers: workers } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          maxWorkers: workers,
          // A worker keeps the modules it loaded (the server, Fastify, Kysely, PGlite) from one
          // file to the next instead of loading them again for each: about 2 s of CPU a file.
          // Files share no state: each builds its own app on its own database and closes it.
          isolate: false,
          // The migrated template database every test app copies, built once up front.
          globalSetup: ['tests/support/integration-global-setup.ts'],
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
          // expect.poll waits for what a live update brings to a page: as long as a locator
          // waits (LIVE in tests/support/live-wait.ts), not Vitest's 1 s, which a busy machine
          // overran (a chair's pressed topic in the loaded CI run).
          expect: { poll: { timeout: 20_000 } },
          // Two files at a time: while one's server starts (about 2 s, opening PGlite) or its
          // test waits on a live update, the other's runs.
          maxWorkers: 2,
          // Browser tests run after the rest.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
