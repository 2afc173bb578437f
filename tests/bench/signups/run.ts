// Sign-up benchmark: CLIENTS residents tap 报名 at the same moment, wave after wave, on one
// hot activity (a new one each wave) and on as many different activities, against the app and
// against a one-INSERT Fastify floor on the same database, in the same run. Prints the
// median of 3 repeats: throughput, p50/p99 latency, statements per sign-up, ours/floor, and
// whether issue 19's targets hold (≥ 0.5× the floor's throughput, p99 ≤ 3× the floor's).
// Figures, never pass/fail. Real Postgres always (if reachable); embedded PGlite too unless
// BENCH_EMBEDDED=0. Each server runs in its own process; this one generates the load.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { postgresReachable } from '../../support/database.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const clients = Number(process.env.BENCH_CLIENTS ?? 200);
const waves = Number(process.env.BENCH_WAVES ?? 3);
// The embedded database is several times slower: fewer waves keep the whole run near 5 min.
const embeddedWaves = Number(process.env.BENCH_EMBEDDED_WAVES ?? 1);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Ready {
  port: number;
  cookies: string[];
  hot: string[];
  spread: string[][];
}
interface Server {
  child: ChildProcess;
  ready: Ready;
  /** Statements the server sent to its database since the last call. */
  take(): Promise<number>;
}

function startServer(file: string, env: Record<string, string>, waves: number): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', `tests/bench/signups/${file}`], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env, BENCH_CLIENTS: String(clients), BENCH_WAVES: String(waves) },
  });
  const take = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m) => resolve((m as { statements: number }).statements));
      child.send('take');
    });
  return new Promise((resolve, reject) => {
    child.once('message', (ready) => resolve({ child, ready: ready as Ready, take }));
    child.once('exit', (code) => reject(new Error(`bench server ${file} exited ${code}`)));
  });
}

async function stopServer(s: Server) {
  s.child.removeAllListeners('exit');
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

const agent = new Agent({ keepAlive: true, maxSockets: clients });

function post(port: number, path: string, cookie: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { cookie, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }),
        );
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

type Layout = 'hot' | 'spread';
/** Activity `i` of wave `w`: everyone on one, or each client on their own. */
const target = (r: Ready, layout: Layout, w: number, i: number) =>
  layout === 'hot' ? r.hot[w]! : r.spread[w]![i]!;

async function wave(s: Server, layout: Layout, w: number) {
  const r = s.ready;
  return Promise.all(
    r.cookies.map((c, i) => post(r.port, `/api/activities/${target(r, layout, w, i)}/signup`, c)),
  );
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  statements: number;
  failed: number;
}

/** `waves` waves starting at wave `from` (so no repeat reuses an activity). */
async function run(s: Server, layout: Layout, from: number, waves: number): Promise<Run> {
  await s.take();
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  for (let w = from; w < from + waves; w++)
    for (const a of await wave(s, layout, w)) {
      latencies.push(a.ms);
      if (a.status !== 201) failed++;
    }
  const seconds = (performance.now() - started) / 1000;
  const statements = await s.take();
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / seconds,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    statements: statements / latencies.length,
    failed,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medianRun = (runs: Run[]): Run => ({
  perSecond: median(runs.map((r) => r.perSecond)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  statements: median(runs.map((r) => r.statements)),
  failed: runs.reduce((n, r) => n + r.failed, 0),
});

/** The app and its floor on one database, both layouts, three repeats interleaved. */
async function measure(label: string, env: Record<string, string>, waves: number) {
  const ours = await startServer('server.ts', env, waves);
  const floor = await startServer('floor.ts', env, waves);
  try {
    // Warm-up (wave 0 of each layout): connections, JIT, the database's caches.
    for (const s of [ours, floor])
      for (const layout of ['hot', 'spread'] as const) await wave(s, layout, 0);
    const runs = new Map<string, Run[]>();
    for (let repeat = 0; repeat < 3; repeat++)
      for (const layout of ['hot', 'spread'] as const)
        for (const [name, s] of [
          ['ours', ours],
          ['floor', floor],
        ] as const) {
          const key = `${layout}:${name}`;
          runs.set(key, [
            ...(runs.get(key) ?? []),
            await run(s, layout, 1 + repeat * waves, waves),
          ]);
        }
    return (['hot', 'spread'] as const).map((layout) => ({
      label,
      layout,
      ours: medianRun(runs.get(`${layout}:ours`)!),
      floor: medianRun(runs.get(`${layout}:floor`)!),
    }));
  } finally {
    await stopServer(ours);
    await stopServer(floor);
  }
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const layoutName = { hot: `one activity (${clients} on it)`, spread: `${clients} activities` };

/** The rows of one database, printed as soon as it is measured. */
function report(rows: Awaited<ReturnType<typeof measure>>, waves: number) {
  console.log(`\n${rows[0]!.label}: ${waves} waves of ${clients} per run, median of 3 runs`);
  console.log(
    '| layout | sign-ups/s (floor) | ratio | p50 (floor) | p99 (floor) | p99 ratio | statements/sign-up (floor) | targets |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const { layout, ours, floor } of rows) {
    const ratio = ours.perSecond / floor.perSecond;
    const p99Ratio = ours.p99 / floor.p99;
    const met = `throughput ${ratio >= 0.5 ? 'met' : 'NOT met'}, p99 ${p99Ratio <= 3 ? 'met' : 'NOT met'}`;
    const failures = ours.failed + floor.failed ? ` (${ours.failed}/${floor.failed} non-201)` : '';
    console.log(
      `| ${layoutName[layout]} | ${ours.perSecond.toFixed(0)} (${floor.perSecond.toFixed(0)}) | ${ratio.toFixed(2)}× | ${ms(ours.p50)} (${ms(floor.p50)}) | ${ms(ours.p99)} (${ms(floor.p99)}) | ${p99Ratio.toFixed(2)}× | ${ours.statements.toFixed(1)} (${floor.statements.toFixed(1)}) | ${met}${failures} |`,
    );
  }
}

console.log(
  `\nSign-up benchmark: ${clients} concurrent clients; each volunteer already holds ` +
    `${process.env.BENCH_HISTORY ?? 20} upcoming activities; the floor is Fastify + one INSERT on the ` +
    `same database · ${cpus().length} cores, ${cpus()[0]?.model ?? ''}`,
);
const started = performance.now();
if (await postgresReachable(postgresUrl))
  report(await measure('PostgreSQL', { BENCH_DATABASE_URL: postgresUrl }, waves), waves);
else console.log(`(PostgreSQL at ${postgresUrl} is not reachable: skipped)`);
if (process.env.BENCH_EMBEDDED !== '0')
  report(await measure('embedded PGlite', {}, embeddedWaves), embeddedWaves);
console.log(
  `\n(${((performance.now() - started) / 1000).toFixed(0)} s in all; the machine is shared, so figures vary run to run)`,
);
agent.destroy();
