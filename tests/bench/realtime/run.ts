// Realtime benchmark: our /yjs server against @y/websocket-server 0.1.1 under the same load.
// Prints figures, never pass/fail. Short by default; BENCH_FULL=1 (or --full) runs the
// issue's full size: N = 50/200/1000, 30 s per case, median of 3 runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, fmt, lines, median, percentile, ratio, rssMb, stop } from '../proc.ts';
import type { LoadConfig } from './load.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const full = process.env.BENCH_FULL === '1' || process.argv.includes('--full');
const sizes = (process.env.BENCH_N ?? (full ? '50,200,1000' : '50,200'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0); // BENCH_N=0: late joiners only
const seconds = Number(process.env.BENCH_SECONDS ?? (full ? 30 : 10));
const warmUpSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const runs = Number(process.env.BENCH_RUNS ?? (full ? 3 : 1));
const lateEdits = (process.env.BENCH_LATE ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
/** BENCH_AWARENESS=off|on: only that half of the fan-out cases (both by default). */
const awarenessModes = ({ off: [false], on: [true] } as Record<string, boolean[]>)[
  process.env.BENCH_AWARENESS ?? ''
] ?? [false, true];
/** BENCH_SERVERS=ours: skip the reference while tuning (no ratios then). */
const kinds: Kind[] = process.env.BENCH_SERVERS === 'ours' ? ['ours'] : ['ours', 'reference'];
/** BENCH_IDLE=1: only the memory of N idle sockets (`idleCase`), for each BENCH_N. */
const idle = process.env.BENCH_IDLE === '1';
const joinTimeoutMs = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 60_000);
/**
 * Load processes for N clients: one per 200 (BENCH_LOAD_PROCS overrides), even past the core
 * count. With presence, each client holds every other's state, so a process of 500 clients
 * holds half a million; its major GCs stalled all 500 for half a second at a time. Smaller
 * processes collect smaller heaps, and a stall holds up fewer clients.
 */
const loadProcs = (n: number) =>
  Number(process.env.BENCH_LOAD_PROCS ?? Math.max(1, Math.ceil(n / 200)));
/**
 * A larger young generation for the load processes: fewer scavenges of the awareness states
 * every client replaces on each keep-alive. Only the load's own collector; the servers run
 * with Node's defaults.
 */
const LOAD_NODE_FLAGS = ['--max-semi-space-size=64'];

type Kind = 'ours' | 'reference';

interface Started {
  child: ChildProcess;
  port: number;
  cookie: string;
}

function startServer(kind: Kind): Promise<Started> {
  const script = kind === 'ours' ? 'our-server.ts' : 'reference-server.ts';
  // --expose-gc: /__bench/memory collects before it measures (see memory.ts).
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', `tests/bench/realtime/${script}`],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    lines(child, (line) => {
      if (!line.startsWith('BENCH_READY ')) return;
      const info = JSON.parse(line.slice(12)) as { port: number; cookie: string };
      resolve({ child, ...info });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
}

/** JavaScript memory (heap + external) of a server after a forced GC, in KiB. */
async function jsMemoryKb(server: Started): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${server.port}/__bench/memory`);
  const m = (await res.json()) as { js: number; gc: boolean };
  if (!m.gc) throw new Error('server runs without --expose-gc');
  return m.js / 1024;
}

function load(config: LoadConfig, onEvent: (e: Record<string, unknown>) => void) {
  const child = spawn(
    process.execPath,
    [...LOAD_NODE_FLAGS, '--import', 'tsx', 'tests/bench/realtime/load.ts', JSON.stringify(config)],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  lines(child, (line) => {
    if (line.startsWith('{')) onEvent(JSON.parse(line) as Record<string, unknown>);
  });
  return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
}

interface FanoutResult {
  joinMs: number | null;
  presenceMs: number | null;
  latencies: Float64Array | null;
  /** Load CPU, in cores: over all processes, and the busiest one. */
  genCpu: number | null;
  genCpuMax: number | null;
}

/**
 * N clients over several load processes. When all have joined, `onJoined` runs (the
 * server's memory is measured then), a second passes, and all are told to go at once; the
 * latencies each process measured are merged before percentiles are taken.
 */
async function fanoutLoad(
  base: Omit<LoadConfig, 'clients' | 'procIndex' | 'samplesFile'>,
  onJoined: () => void | Promise<void>,
): Promise<FanoutResult> {
  const procs = loadProcs(base.totalClients);
  const dir = mkdtempSync(join(tmpdir(), 'tongxin-bench-'));
  const joined: Array<Record<string, unknown>> = [];
  const results: Array<Record<string, unknown>> = [];
  let release: () => void = () => {};
  const allJoined = new Promise<void>((resolve) => (release = resolve));
  const children = Array.from({ length: procs }, (_, i) => {
    const share = Math.floor(base.totalClients / procs) + (i < base.totalClients % procs ? 1 : 0);
    return load(
      { ...base, clients: share, procIndex: i, samplesFile: join(dir, `samples-${i}.f64`) },
      (event) => {
        if (event.event === 'joined' && joined.push(event) === procs) release();
        if (event.event === 'result') results.push(event);
      },
    );
  });
  const worst = (key: string) => {
    const values = joined.map((e) => e[key] as number | null);
    return values.includes(null) ? null : Math.max(...(values as number[]));
  };
  await Promise.race([allJoined, Promise.all(children.map((c) => c.exited))]);
  const result: FanoutResult = {
    joinMs: joined.length === procs ? worst('joinMs') : null,
    presenceMs: joined.length === procs && base.awareness ? worst('presenceMs') : null,
    latencies: null,
    genCpu: null,
    genCpuMax: null,
  };
  if (result.joinMs !== null) {
    await onJoined();
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of children) c.child.stdin!.write('go\n');
  } else {
    for (const c of children) c.child.kill('SIGKILL');
  }
  await Promise.all(children.map((c) => c.exited));
  if (result.joinMs !== null && results.length === procs) {
    const parts = results.map(
      (_, i) => new Float64Array(readFileSync(join(dir, `samples-${i}.f64`)).buffer.slice(0)),
    );
    const merged = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      merged.set(part, at);
      at += part.length;
    }
    result.latencies = merged.sort();
    const cpu = results.map((e) => (e.genCpu as number | null) ?? 0);
    result.genCpu = cpu.reduce((a, b) => a + b, 0);
    result.genCpuMax = Math.max(...cpu);
  }
  rmSync(dir, { recursive: true, force: true });
  return result;
}

function target(kind: Kind, server: Started) {
  return {
    wsUrl: `ws://127.0.0.1:${server.port}${kind === 'ours' ? '/yjs' : ''}`,
    origin: `http://127.0.0.1:${server.port}`,
    cookie: server.cookie,
  };
}

type Figures = Record<string, number | null>;

async function fanoutCase(kind: Kind, clients: number, awareness: boolean): Promise<Figures> {
  const server = await startServer(kind);
  const pid = server.child.pid!;
  // The baseline is taken with one socket already on the document, so one-time costs (code
  // of the upgrade path compiled, the document loaded) are not charged to the N clients.
  const warmUp = await warmUpSocket(kind, server);
  const rssBase = rssMb(pid);
  const memBase = await jsMemoryKb(server);
  let memJoined: Promise<number> | null = null;
  let cpuAtJoin = 0;
  let tAtJoin = 0;
  let rssJoined = 0;
  const run = await fanoutLoad(
    {
      mode: 'fanout',
      ...target(kind, server),
      docName: 'bench:room',
      totalClients: clients,
      awareness,
      seconds,
      warmUpSeconds,
      edits: 0,
      joinTimeoutMs,
    },
    () => {
      rssJoined = rssMb(pid);
      memJoined = jsMemoryKb(server);
      cpuAtJoin = cpuSeconds(pid);
      tAtJoin = performance.now();
    },
  );
  const lat = run.latencies;
  const figures: Figures = {
    joinMs: run.joinMs,
    presenceMs: run.presenceMs,
    p50: lat ? percentile(lat, 50) : null,
    p95: lat ? percentile(lat, 95) : null,
    p99: lat ? percentile(lat, 99) : null,
    max: lat ? (lat[lat.length - 1] ?? null) : null,
    cpuPct: lat
      ? ((cpuSeconds(pid) - cpuAtJoin) / ((performance.now() - tAtJoin) / 1000)) * 100
      : null,
    rssMb: rssMb(pid),
    rssKbPerConn: ((rssJoined - rssBase) * 1024) / clients,
    genCpuPct: run.genCpu === null ? null : run.genCpu * 100,
    genMaxProcPct: run.genCpuMax === null ? null : run.genCpuMax * 100,
  };
  if (memJoined && figures.joinMs != null)
    figures.kbPerConn = ((await memJoined) - memBase) / clients;
  warmUp.child.kill('SIGKILL');
  await warmUp.exited;
  await stop(server.child);
  return figures;
}

/**
 * Memory of N idle sockets (BENCH_IDLE=1): N clients join one document and send nothing
 * more; once all have joined and the server has had `IDLE_SETTLE_MS` to finish with the
 * joins, its memory is taken after a forced full GC, against the same before they came.
 * `rssKbPerConn` here is what an idle socket keeps in the process, garbage of the joins
 * collected; the fan-out cases read RSS at the moment the last client joined.
 */
async function idleCase(kind: Kind, clients: number): Promise<Figures> {
  const server = await startServer(kind);
  const pid = server.child.pid!;
  const warmUp = await warmUpSocket(kind, server);
  const memBase = await jsMemoryKb(server); // collects first, so RSS is read after a GC
  const rssBase = rssMb(pid);
  const figures: Figures = {};
  const run = await fanoutLoad(
    {
      mode: 'fanout',
      ...target(kind, server),
      docName: 'bench:room',
      totalClients: clients,
      awareness: false,
      seconds: 0,
      warmUpSeconds: 0,
      edits: 0,
      joinTimeoutMs,
    },
    async () => {
      figures.rssAtJoinKbPerConn = ((rssMb(pid) - rssBase) * 1024) / clients;
      await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
      figures.kbPerConn = ((await jsMemoryKb(server)) - memBase) / clients;
      figures.rssKbPerConn = ((rssMb(pid) - rssBase) * 1024) / clients;
    },
  );
  figures.joinMs = run.joinMs;
  warmUp.child.kill('SIGKILL');
  await warmUp.exited;
  await stop(server.child);
  return figures;
}
const IDLE_SETTLE_MS = 3000;

/**
 * One client joined to the benchmark's document, staying until it is killed, after twenty
 * that joined and left: the code of the join path is compiled before the baseline, so
 * memory per connection is what a connection keeps.
 */
async function warmUpSocket(kind: Kind, server: Started) {
  let joined: () => void = () => {};
  const ready = new Promise<void>((resolve) => (joined = resolve));
  const proc = load(
    {
      mode: 'fanout',
      ...target(kind, server),
      docName: 'bench:room',
      clients: 1,
      totalClients: 1,
      procIndex: 1, // not an editor
      rehearsals: 20,
      samplesFile: '',
      awareness: false,
      seconds: 0,
      warmUpSeconds: 0,
      edits: 0,
      joinTimeoutMs,
    },
    (event) => {
      if (event.event === 'joined') joined();
    },
  );
  await Promise.race([ready, proc.exited]);
  return proc;
}

async function lateCase(kind: Kind, edits: number): Promise<Figures> {
  const server = await startServer(kind);
  const figures: Figures = {};
  const late = load(
    {
      mode: 'late',
      ...target(kind, server),
      docName: 'bench:late',
      clients: 1,
      totalClients: 1,
      procIndex: 0,
      samplesFile: '',
      awareness: false,
      seconds: 0,
      warmUpSeconds: 0,
      edits,
      joinTimeoutMs,
    },
    (event) => {
      if (event.event === 'result')
        Object.assign(figures, {
          lateMs: event.lateMs as number | null,
          serverMs: event.serverMs as number | null,
          clientMs: event.clientMs as number | null,
        });
    },
  );
  late.child.stdin!.end();
  await late.exited;
  await stop(server.child);
  return figures;
}

async function main() {
  console.log(
    `Realtime benchmark on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; ` +
      `N=${sizes.join('/')}, ${seconds}s per case, ${runs} run(s), median shown`,
  );
  const metrics = [
    'joinMs',
    'presenceMs',
    'p50',
    'p95',
    'p99',
    'max',
    'cpuPct',
    'rssMb',
    'rssKbPerConn',
    'kbPerConn',
    'genCpuPct',
    'genMaxProcPct',
  ];
  console.log(`\n| case | figure | ours | reference | ours/ref |\n|---|---|---|---|---|`);
  if (idle) {
    for (const n of sizes) {
      const results: Record<Kind, Figures[]> = { ours: [], reference: [] };
      for (let r = 0; r < runs; r++)
        for (const kind of kinds) results[kind].push(await idleCase(kind, n));
      for (const m of ['joinMs', 'rssAtJoinKbPerConn', 'rssKbPerConn', 'kbPerConn']) {
        const o = median(results.ours.map((f) => f[m] ?? null));
        const ref = median(results.reference.map((f) => f[m] ?? null));
        console.log(`| N=${n} idle | ${m} | ${fmt(o)} | ${fmt(ref)} | ${ratio(o, ref)} |`);
      }
    }
    return;
  }
  for (const awareness of awarenessModes) {
    for (const n of sizes) {
      const results: Record<Kind, Figures[]> = { ours: [], reference: [] };
      for (let r = 0; r < runs; r++)
        for (const kind of kinds) results[kind].push(await fanoutCase(kind, n, awareness));
      const label = `N=${n} ${awareness ? 'awareness on' : 'no awareness'}`;
      for (const m of metrics) {
        if (m === 'presenceMs' && !awareness) continue;
        const o = median(results.ours.map((f) => f[m] ?? null));
        const ref = median(results.reference.map((f) => f[m] ?? null));
        console.log(`| ${label} | ${m} | ${fmt(o)} | ${fmt(ref)} | ${ratio(o, ref)} |`);
      }
      // One load process past 85 % of a core, or server plus load near both cores: the load
      // generator, not the server, may be what sets the latency.
      const all = [...results.ours, ...results.reference];
      const busiest = Math.max(...all.map((f) => f.genMaxProcPct ?? 0));
      const machine = Math.max(...all.map((f) => (f.genCpuPct ?? 0) + (f.cpuPct ?? 0)));
      if (busiest > 85 || machine > 85 * cpus().length)
        console.log(
          `| ${label} | note | busiest load process ${busiest.toFixed(0)}% of a core; server + load ${machine.toFixed(0)}% of ${cpus().length} cores: the load generator may be the bottleneck | | |`,
        );
    }
  }
  for (const edits of lateEdits) {
    const results: Record<Kind, Figures[]> = { ours: [], reference: [] };
    for (let r = 0; r < runs; r++)
      for (const kind of kinds) results[kind].push(await lateCase(kind, edits));
    // syncMs: a y-websocket client until it holds the whole text; serverMs: a bare socket
    // from sending step 1 to the whole step-2 answer; clientMs: that client applying the
    // answer and Yjs re-encoding it for the doc's update listeners (the same work whichever
    // server sent it).
    const mid = (kind: Kind, key: string) => median(results[kind].map((f) => f[key] ?? null));
    for (const [figure, key] of [
      ['syncMs', 'lateMs'],
      ['serverMs', 'serverMs'],
      ['clientMs', 'clientMs'],
    ] as const) {
      const o = mid('ours', key);
      const ref = mid('reference', key);
      console.log(
        `| late joiner, ${edits} edits | ${figure} | ${fmt(o)} | ${fmt(ref)} | ${ratio(o, ref)} |`,
      );
    }
    // What syncMs would be against the reference's if our server took no time at all.
    const [sync, server, refSync] = [
      mid('ours', 'lateMs'),
      mid('ours', 'serverMs'),
      mid('reference', 'lateMs'),
    ];
    if (sync !== null && server !== null && refSync !== null)
      console.log(
        `| late joiner, ${edits} edits | note | with a server taking no time, syncMs would be ${ratio(sync - server, refSync)} of the reference's | | |`,
      );
  }
}

await main();
