// Realtime benchmark: our /yjs server against @y/websocket-server 0.1.1 under the same load.
// Prints figures, never pass/fail. Short by default; BENCH_FULL=1 (or --full) runs the
// issue's full size: N = 50/200/1000, 30 s per case, median of 3 runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { LoadConfig } from './load.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const full = process.env.BENCH_FULL === '1' || process.argv.includes('--full');
const sizes = (process.env.BENCH_N ?? (full ? '50,200,1000' : '50,200'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0); // BENCH_N=0: late joiners only
const seconds = Number(process.env.BENCH_SECONDS ?? (full ? 30 : 10));
const runs = Number(process.env.BENCH_RUNS ?? (full ? 3 : 1));
const lateEdits = (process.env.BENCH_LATE ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const joinTimeoutMs = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 60_000);
const TICK = 100; // Linux clock ticks per second for /proc/<pid>/stat

type Kind = 'ours' | 'reference';

interface Started {
  child: ChildProcess;
  port: number;
  cookie: string;
}

function lines(child: ChildProcess, onLine: (line: string) => void) {
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
  });
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

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
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
    ['--import', 'tsx', 'tests/bench/realtime/load.ts', JSON.stringify(config)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  lines(child, (line) => {
    if (line.startsWith('{')) onEvent(JSON.parse(line) as Record<string, unknown>);
  });
  return new Promise<void>((resolve) => child.once('exit', () => resolve()));
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
  const rssBase = rssMb(pid);
  const memBase = await jsMemoryKb(server);
  let memJoined: Promise<number> | null = null;
  let cpuAtJoin = 0;
  let tAtJoin = 0;
  let rssJoined = 0;
  const figures: Figures = {};
  await load(
    {
      mode: 'fanout',
      ...target(kind, server),
      docName: 'bench:room',
      clients,
      awareness,
      seconds,
      edits: 0,
      joinTimeoutMs,
    },
    (event) => {
      if (event.event === 'joined') {
        rssJoined = rssMb(pid);
        // The load waits a second after the join before editing: measure in that gap.
        memJoined = jsMemoryKb(server);
        cpuAtJoin = cpuSeconds(pid);
        tAtJoin = performance.now();
      }
      if (event.event === 'result') {
        const lat = event.latencies as Record<string, number> | null;
        Object.assign(figures, {
          joinMs: event.joinMs as number | null,
          presenceMs: event.presenceMs as number | null,
          p50: lat?.p50 ?? null,
          p95: lat?.p95 ?? null,
          p99: lat?.p99 ?? null,
          max: lat?.max ?? null,
          cpuPct: lat
            ? ((cpuSeconds(pid) - cpuAtJoin) / ((performance.now() - tAtJoin) / 1000)) * 100
            : null,
          rssMb: rssMb(pid),
          rssKbPerConn: ((rssJoined - rssBase) * 1024) / clients,
          genCpuPct: typeof event.genCpu === 'number' ? event.genCpu * 100 : null,
        });
      }
    },
  );
  if (memJoined && figures.joinMs != null)
    figures.kbPerConn = ((await memJoined) - memBase) / clients;
  await stop(server.child);
  return figures;
}

async function lateCase(kind: Kind, edits: number): Promise<Figures> {
  const server = await startServer(kind);
  const figures: Figures = {};
  await load(
    {
      mode: 'late',
      ...target(kind, server),
      docName: 'bench:late',
      clients: 1,
      awareness: false,
      seconds: 0,
      edits,
      joinTimeoutMs,
    },
    (event) => {
      if (event.event === 'result')
        Object.assign(figures, {
          lateMs: event.lateMs as number | null,
          serverMs: event.serverMs as number | null,
          applyMs: event.applyMs as number | null,
        });
    },
  );
  await stop(server.child);
  return figures;
}

function median(values: Array<number | null>): number | null {
  const v = values.filter((x): x is number => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length < values.length) return null; // a run that never finished is reported as such
  return v.length ? v[Math.floor(v.length / 2)]! : null;
}

const fmt = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '—' : x.toFixed(digits);
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a == null || b == null || b === 0 ? '—' : (a / b).toFixed(2);

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
  ];
  console.log(`\n| case | figure | ours | reference | ours/ref |\n|---|---|---|---|---|`);
  for (const awareness of [false, true]) {
    for (const n of sizes) {
      const results: Record<Kind, Figures[]> = { ours: [], reference: [] };
      for (let r = 0; r < runs; r++)
        for (const kind of ['ours', 'reference'] as const)
          results[kind].push(await fanoutCase(kind, n, awareness));
      const label = `N=${n} ${awareness ? 'awareness on' : 'no awareness'}`;
      for (const m of metrics) {
        if (m === 'presenceMs' && !awareness) continue;
        const o = median(results.ours.map((f) => f[m] ?? null));
        const ref = median(results.reference.map((f) => f[m] ?? null));
        console.log(`| ${label} | ${m} | ${fmt(o)} | ${fmt(ref)} | ${ratio(o, ref)} |`);
      }
      const gen = Math.max(...[...results.ours, ...results.reference].map((f) => f.genCpuPct ?? 0));
      if (gen > 85)
        console.log(
          `| ${label} | note | load generator at ${gen.toFixed(0)}% of a core: it may be the bottleneck | | |`,
        );
    }
  }
  for (const edits of lateEdits) {
    const results: Record<Kind, Figures[]> = { ours: [], reference: [] };
    for (let r = 0; r < runs; r++)
      for (const kind of ['ours', 'reference'] as const)
        results[kind].push(await lateCase(kind, edits));
    // syncMs: a y-websocket client until it holds the whole text; serverMs: a bare socket
    // from sending step 1 to the whole step-2 answer; applyMs: Y.applyUpdate of that answer
    // into an empty doc in the load process (the client's share of syncMs).
    for (const [figure, key] of [
      ['syncMs', 'lateMs'],
      ['serverMs', 'serverMs'],
      ['applyMs', 'applyMs'],
    ] as const) {
      const o = median(results.ours.map((f) => f[key] ?? null));
      const ref = median(results.reference.map((f) => f[key] ?? null));
      console.log(
        `| late joiner, ${edits} edits | ${figure} | ${fmt(o)} | ${fmt(ref)} | ${ratio(o, ref)} |`,
      );
    }
  }
}

await main();
