/**
 * How long a browser test waits for a change to reach another screen. Generous on purpose:
 * a busy laptop (or two CPU-bound processes beside the suite) delivers late, and how fast a
 * change arrives is measured by the benchmarks (`npm run bench:meeting`), not here. A test
 * still fails when the change never comes, or comes wrong.
 */
export const LIVE = { timeout: 20_000 } as const;
