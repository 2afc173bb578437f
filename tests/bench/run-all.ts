// `npm run bench`: every benchmark, short by default. BENCH_FULL=1 (or --full) for full size.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const benches = [
  'tests/bench/signups/run.ts',
  'tests/bench/realtime/run.ts',
  'tests/bench/realtime/presence-cost.ts',
  'tests/bench/lighthouse/run.ts',
  'tests/bench/start/run.ts',
  'tests/bench/meeting/run.ts',
  'tests/bench/cluster/run.ts',
];
let status = 0;
for (const bench of benches) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', bench, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  status ||= result.status ?? 1;
}
process.exit(status);
