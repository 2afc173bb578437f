// `npm run bench`: every benchmark, short by default. BENCH_FULL=1 (or --full) for full size.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'tests/bench/realtime/run.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
