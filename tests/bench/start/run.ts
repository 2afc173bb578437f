// Start-up benchmark: how long `npm start` takes until /api/health answers 200 — the first
// start (empty database: schema and demo district written) and the second (everything there
// already) — and what the idle server then holds in memory, on the embedded database and on
// PostgreSQL. Median of 3, beside the floor: a bare Node HTTP server started the same way.
// Builds are made fresh by an unmeasured warm-up start. BENCH_ROOT starts another checkout
// (e.g. an older commit) for a before/after comparison. Prints figures; never pass/fail.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, postgresReachable } from '../../support/database.ts';
import { serverRssMb, treeCpuMs } from './process-tree.ts';

const root = process.env.BENCH_ROOT ?? fileURLToPath(new URL('../../..', import.meta.url));
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rounds = 3;
const idleMs = Number(process.env.BENCH_IDLE_MS ?? 3000);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Start {
  ms: number;
  cpuMs: number | null;
  rssMb: number | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, {
      signal: AbortSignal.timeout(1000),
    });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole process group, then wait until every process in it is gone. */
async function stop(child: ChildProcess) {
  const group = -child.pid!;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  for (;;) {
    try {
      process.kill(group, 0);
    } catch {
      return;
    }
    await sleep(20);
  }
}

/** Spawns the command, times it to the first 200 from /api/health, waits idle, reads RSS. */
async function timeStart(command: string[], env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    detached: true, // its own process group, so stop() reaches npm's children too
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${stderr}`);
      await sleep(20);
    }
    const ms = performance.now() - started;
    const cpuMs = treeCpuMs(child.pid!);
    await sleep(idleMs);
    return { ms, cpuMs, rssMb: serverRssMb(child.pid!) };
  } finally {
    await stop(child);
  }
}

interface Target {
  /** A fresh, empty place for the data; returns the environment and a clean-up. */
  fresh(): Promise<{ env: Record<string, string>; remove(): Promise<void> }>;
}

const embedded: Target = {
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'tongxin-bench-start-'));
    return {
      env: { TONGXIN_DATA_DIR: dir, DATABASE_URL: '' },
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: Target = {
  async fresh() {
    const database = await createTestDatabase(postgresUrl, 'tongxin_bench_start');
    return { env: { DATABASE_URL: database.config.databaseUrl! }, remove: () => database.drop() };
  },
};

const median = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return known.length ? known[Math.floor(known.length / 2)]! : null;
};
const seconds = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const megabytes = (mb: number | null) => (mb === null ? 'n/a' : `${mb.toFixed(0)} MB`);

async function measure(target: Target) {
  const firsts: Start[] = [];
  const seconds_: Start[] = [];
  for (let round = 0; round < rounds; round++) {
    const place = await target.fresh();
    try {
      firsts.push(await timeStart([npm, 'start'], place.env));
      seconds_.push(await timeStart([npm, 'start'], place.env));
    } finally {
      await place.remove();
    }
  }
  return { firsts, seconds: seconds_ };
}

function row(label: string, firsts: Start[], again: Start[]) {
  console.log(
    `${label.padEnd(26)} first ${seconds(median(firsts.map((s) => s.ms))).padStart(8)}` +
      ` (cpu ${seconds(median(firsts.map((s) => s.cpuMs)))})` +
      `   second ${seconds(median(again.map((s) => s.ms))).padStart(8)}` +
      ` (cpu ${seconds(median(again.map((s) => s.cpuMs)))})` +
      `   idle RSS ${megabytes(median(again.map((s) => s.rssMb)))}`,
  );
}

console.log(`Start-up of ${root} — \`npm start\` to /api/health 200, median of ${rounds}`);
console.log(
  `(load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores; cpu = user+system of the` +
    ` whole process tree until healthy; RSS of the server process after ${idleMs} ms idle)`,
);

const warmUp = await embedded.fresh();
await timeStart([npm, 'start'], warmUp.env).finally(() => warmUp.remove());

const floorScript =
  "require('http').createServer((q,s)=>s.end('{\"ok\":true}')).listen(process.env.PORT,'127.0.0.1')";
const floor: Start[] = [];
for (let round = 0; round < rounds; round++)
  floor.push(await timeStart([process.execPath, '-e', floorScript], {}));
console.log(
  `${'floor: bare node http'.padEnd(26)} start ${seconds(median(floor.map((s) => s.ms)))}` +
    ` (cpu ${seconds(median(floor.map((s) => s.cpuMs)))})` +
    `   idle RSS ${megabytes(median(floor.map((s) => s.rssMb)))}`,
);

const onEmbedded = await measure(embedded);
row('embedded (PGlite)', onEmbedded.firsts, onEmbedded.seconds);
if (await postgresReachable(postgresUrl)) {
  const onPostgres = await measure(postgres);
  row('PostgreSQL', onPostgres.firsts, onPostgres.seconds);
} else console.log(`PostgreSQL: skipped, nothing answers at ${postgresUrl}`);
