// Several-instance benchmark (`npm run bench:cluster`, issue 17): instances of the real server
// as child processes on a fresh PostgreSQL database and a Redis of the bench's own (started
// here, so it can be restarted without touching anyone else's), thin phones (thin.ts) in load
// processes, and real y-websocket clients (editors, checkers) beside them. Prints figures,
// never pass/fail. Short by default; BENCH_FULL=1 (or --full) for the issue's sizes.
//
//   single   one instance (no Redis, as deployed by default), N phones on one document with
//            presence: join, presence, fan-out p50/p99, server CPU per delivered edit
//   cross    two instances on Redis, the same load, half the phones on each: fan-out to phones
//            on the editor's instance and on the other
//   evening  rooms × 30 phones over two instances, two editors per room; then Redis restarted
//            and one instance killed (kill -9) while they edit: seconds until every phone is
//            back and has every edit sent before, and edits lost once all is quiet
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { createMigratedTestDatabase, postgresReachable } from '../../support/database.ts';
import { cpuSeconds, fmt, lines, machineBusySeconds, percentile, rssMb, stop } from '../proc.ts';
import type { Command, LoadConfig, Room } from './load.ts';
import { marker, scanMarkers } from './thin.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const full = process.env.BENCH_FULL === '1' || process.argv.includes('--full');
const list = (value: string | undefined, fallback: string) =>
  (value ?? fallback)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const singleSizes = list(process.env.BENCH_SINGLE_N, full ? '1000,2000,5000' : '200');
const crossSizes = list(process.env.BENCH_CROSS_N, full ? '200,1000' : '100');
const eveningRooms = Number(process.env.BENCH_ROOMS ?? (full ? 100 : 10));
const phonesPerRoom = 30;
const seconds = Number(process.env.BENCH_SECONDS ?? (full ? 20 : 8));
const warmUpSeconds = 3;
const joinTimeoutMs = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 60_000);
const echo = process.env.BENCH_ECHO !== '0';
/** Each case this many times; the run with the median p99 is the row (BENCH_FULL: 3). */
const repeats = Number(process.env.BENCH_REPEATS ?? (full ? 3 : 1));
const adminUrl =
  process.env.TEST_DATABASE_URL ??
  process.env.BENCH_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const LOAD_NODE_FLAGS = ['--max-semi-space-size=64'];
/** Thin phones per load process: above it the phones are split over two. */
const THIN_PER_PROC = Number(process.env.BENCH_THIN_PER_PROC ?? 1500);

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmp = mkdtempSync(join(tmpdir(), 'tongxin-bench-cluster-'));

// --- processes -----------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  return typeof address === 'object' && address ? address.port : 0;
}

/** A redis-server of the bench's own, no persistence, on a port it can come back on. */
class OwnRedis {
  child: ChildProcess | null = null;
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      lines(child, (line) => {
        if (line.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    });
  }
  async stop(): Promise<void> {
    if (this.child) await stop(this.child);
    this.child = null;
  }
}

interface Instance {
  child: ChildProcess;
  port: number;
  ws: string;
  origin: string;
}

async function startInstance(databaseUrl: string, redis: OwnRedis | null): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/cluster/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      BENCH_DB_URL: databaseUrl,
      ...(redis ? { BENCH_REDIS_URL: redis.url, BENCH_REDIS_PREFIX: 'tongxin-bench' } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    lines(child, (line) => {
      const match = /BENCH_INSTANCE (\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`instance exited (${code}) before listening`)));
  });
  return { child, port, ws: `ws://127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };
}

async function register(origin: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username: 'bench', displayName: '手机', password: 'bench bench bench' }),
  });
  if (res.status !== 201) throw new Error(`register ${res.status}: ${await res.text()}`);
  return (res.headers.getSetCookie()[0] ?? '').split(';')[0]!;
}

type Event = Record<string, unknown> & { ev: string };

class Load {
  readonly events: Event[] = [];
  #waiters: Array<() => void> = [];
  exited = false;
  constructor(
    readonly child: ChildProcess,
    readonly config: LoadConfig,
  ) {
    lines(child, (line) => {
      if (!line.startsWith('{')) return;
      this.events.push(JSON.parse(line) as Event);
      this.#waiters.splice(0).forEach((w) => w());
    });
    child.once('exit', () => {
      this.exited = true;
      this.#waiters.splice(0).forEach((w) => w());
    });
  }
  send(command: Command) {
    if (!this.exited) this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }
  /** The next event `ev` not yet taken. */
  async next(ev: string, timeoutMs = joinTimeoutMs + 60_000): Promise<Event | null> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const i = this.events.findIndex((e) => e.ev === ev || e.ev === 'error');
      if (i >= 0) {
        const [event] = this.events.splice(i, 1);
        if (event!.ev === 'error')
          throw new Error(`load ${this.config.procIndex}: ${event!.reason}`);
        return event!;
      }
      if (this.exited || performance.now() > deadline) return null;
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 1000);
      });
    }
  }
}

function startLoad(config: LoadConfig): Load {
  const child = spawn(
    process.execPath,
    [...LOAD_NODE_FLAGS, '--import', 'tsx', 'tests/bench/cluster/load.ts', JSON.stringify(config)],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  return new Load(child, config);
}

// --- one case ------------------------------------------------------------------------------------

interface Figures {
  label: string;
  joinMs: number | null;
  presenceMs: number | null;
  p50: number | null;
  p99: number | null;
  sameP99: number | null;
  crossP99: number | null;
  /** p99 by receiving instance. */
  instanceP99: Array<number | null>;
  deliveries: number;
  /** Server CPU, µs per delivered edit (all instances), and % of a core per instance. */
  cpuPerDelivery: number | null;
  instanceCpu: number[];
  instanceRss: number[];
  loadCpu: number[];
  machineBusy: number;
  lost: number | null;
  stored: number | null;
  textsDiffer: number | null;
  notes: string[];
  events: Array<{ what: string; backSeconds: number | null; missing: number }>;
}

/** The case run `repeats` times; the run whose p99 is the median stands for it, whole. */
async function medianOf(plan: Plan): Promise<Figures> {
  const runs: Figures[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await runCase(plan));
  runs.sort((a, b) => (a.p99 ?? Infinity) - (b.p99 ?? Infinity));
  const median = runs[Math.floor((runs.length - 1) / 2)]!;
  if (runs.length > 1)
    median.notes.push(
      `median of ${runs.length}; p99 ${runs.map((r) => fmt(r.p99)).join(' / ')} ms`,
    );
  return median;
}

interface Plan {
  label: string;
  instances: 1 | 2;
  rooms: Room[];
  everyMs: number;
  /** Redis restart and instance kill after the measured window. */
  faults?: boolean;
}

async function runCase(plan: Plan): Promise<Figures> {
  const figures: Figures = {
    label: plan.label,
    joinMs: null,
    presenceMs: null,
    p50: null,
    p99: null,
    sameP99: null,
    crossP99: null,
    instanceP99: [],
    deliveries: 0,
    cpuPerDelivery: null,
    instanceCpu: [],
    instanceRss: [],
    loadCpu: [],
    machineBusy: 0,
    lost: null,
    stored: null,
    textsDiffer: null,
    notes: [],
    events: [],
  };
  console.error(`\n[cluster] ${plan.label}: starting`);
  const database = await createMigratedTestDatabase(adminUrl, 'tongxin_bench');
  const databaseUrl = database.config.databaseUrl!;
  const redis = plan.instances > 1 ? new OwnRedis(await freePort()) : null;
  const instances: Instance[] = [];
  const loads: Load[] = [];
  try {
    await redis?.start();
    for (let i = 0; i < plan.instances; i++)
      instances.push(await startInstance(databaseUrl, redis));
    const cookie = await register(instances[0]!.origin);
    const thin = plan.rooms.reduce((n, r) => n + r.thin, 0);
    const thinProcs = Math.max(1, Math.ceil(thin / THIN_PER_PROC));
    for (let p = 0; p <= thinProcs; p++)
      loads.push(
        startLoad({
          procIndex: p,
          thinProcs,
          backends: instances.map((i) => i.ws),
          cookie,
          rooms: plan.rooms,
          samplesFile: join(tmp, `samples-${p}.bin`),
          echo,
          timeoutMs: joinTimeoutMs,
        }),
      );
    for (const load of loads) await load.next('ready', 60_000);
    const all = (command: Command) => loads.forEach((l) => l.send(command));
    const editors = loads[0]!;

    // Join: every phone synced; then every checker sees every phone's presence.
    const joinStart = now();
    all({ cmd: 'join' });
    const joined = await Promise.all(loads.map((l) => l.next('joined')));
    if (joined.every((j) => j?.ok))
      figures.joinMs = Math.max(...joined.map((j) => j!.at as number)) - joinStart;
    else {
      const missing = joined.reduce((n, j) => n + Number(j?.missing ?? 0), 0);
      figures.notes.push(`${missing} clients not synced after ${joinTimeoutMs / 1000} s`);
    }
    const closes: Record<string, number> = {};
    for (const j of joined)
      for (const [code, n] of Object.entries((j?.closes ?? {}) as Record<string, number>))
        closes[code] = (closes[code] ?? 0) + n;
    if (Object.keys(closes).length)
      figures.notes.push(`sockets closed while joining, by code: ${JSON.stringify(closes)}`);
    const presence = await editors.next('presence');
    if (presence?.at) figures.presenceMs = (presence.at as number) - joinStart;
    else figures.notes.push('checkers never saw every phone present');
    const crashed = instances.filter((i) => i.child.exitCode !== null || i.child.signalCode);
    if (crashed.length) figures.notes.push(`${crashed.length} instance(s) died while joining`);

    // Edits: warm up, then the measured window.
    all({ cmd: 'edit', everyMs: plan.everyMs });
    await editors.next('editing');
    await sleep(warmUpSeconds * 1000);
    const from = now();
    all({ cmd: 'window', from, to: from + seconds * 1000 });
    const cpuBefore = instances.map((i) => cpuSeconds(i.child.pid!));
    const busyBefore = machineBusySeconds();
    await sleep(seconds * 1000 + 1000);
    const elapsed = (now() - from) / 1000;
    const cpuUsed = instances.map((i, k) => cpuSeconds(i.child.pid!) - cpuBefore[k]!);
    figures.machineBusy = (machineBusySeconds() - busyBefore) / elapsed;
    figures.instanceCpu = cpuUsed.map((c) => (100 * c) / elapsed);
    figures.instanceRss = instances.map((i) =>
      i.child.exitCode === null ? rssMb(i.child.pid!) : 0,
    );
    all({ cmd: 'report' });
    const reports = await Promise.all(loads.map((l) => l.next('report')));
    figures.loadCpu = reports.map((r) => 100 * Number(r?.cpuShare ?? 0));
    const all99: number[] = [];
    const same: number[] = [];
    const cross: number[] = [];
    const byInstance: number[][] = instances.map(() => []);
    for (const load of loads) {
      const raw = readFileSync(load.config.samplesFile);
      const pairs = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const ms = pairs[i]!;
        const tag = pairs[i + 1]!;
        all99.push(ms);
        (tag % 2 ? cross : same).push(ms);
        byInstance[Math.floor(tag / 2)]?.push(ms);
      }
    }
    const sorted = (xs: number[]) => Float64Array.from(xs).sort();
    const s = sorted(all99);
    figures.deliveries = s.length;
    figures.p50 = s.length ? percentile(s, 50) : null;
    figures.p99 = s.length ? percentile(s, 99) : null;
    figures.sameP99 = same.length ? percentile(sorted(same), 99) : null;
    figures.crossP99 = cross.length ? percentile(sorted(cross), 99) : null;
    figures.instanceP99 = byInstance.map((xs) => (xs.length ? percentile(sorted(xs), 99) : null));
    const totalCpu = cpuUsed.reduce((a, b) => a + b, 0);
    figures.cpuPerDelivery = s.length ? (totalCpu * 1e6) / s.length : null;

    if (plan.faults && redis) {
      // Seconds from `since` until every phone has every edit sent before now; with `dead`,
      // back means on another instance than that one (a phone that has not yet seen its
      // socket close still counts as synced on the dead one).
      const backAfter = async (what: string, since: number, dead?: number) => {
        editors.send({ cmd: 'mark' });
        const mark = await editors.next('mark');
        all({ cmd: 'watch', counts: mark!.counts as number[][], dead });
        const done = await Promise.all(loads.map((l) => l.next('converged')));
        figures.events.push({
          what,
          backSeconds: done.every((d) => d?.at)
            ? (Math.max(...done.map((d) => d!.at as number)) - since) / 1000
            : null,
          missing: done.reduce((n, d) => n + Number(d?.missing ?? 0), 0),
        });
      };
      // Redis restarted while everyone edits: from its return.
      console.error(`[cluster] ${plan.label}: restarting Redis`);
      await redis.stop();
      await sleep(3000);
      await redis.start();
      await backAfter('Redis down 3 s, then back', now());
      // kill -9 of the second instance: its phones reconnect to the first.
      await sleep(3000);
      console.error(`[cluster] ${plan.label}: kill -9 of instance 2`);
      const killed = now();
      instances[1]!.child.kill('SIGKILL');
      await backAfter('instance 2 killed (kill -9)', killed, 1);
    }

    // Quiet: every client should hold every edit, and so should the stored document.
    editors.send({ cmd: 'stop-edit' });
    const stopped = await editors.next('stopped');
    all({ cmd: 'final', counts: stopped!.counts as number[][] });
    const finals = await Promise.all(loads.map((l) => l.next('final')));
    // Phones that never joined miss every edit: that is the join failing, not a loss.
    if (figures.joinMs === null) figures.notes.push('losses not counted: not every phone joined');
    else figures.lost = finals.reduce((n, f) => n + Number(f?.missing ?? 0), 0);
    figures.textsDiffer = Number(finals[0]?.textsDiffer ?? 0);
    figures.stored = finals[0]?.stored === null ? null : Number(finals[0]?.stored);
    if (finals[0]?.stored === null) figures.notes.push('a late joiner was never answered');
    return figures;
  } catch (error) {
    figures.notes.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
    return figures;
  } finally {
    for (const load of loads) {
      load.send({ cmd: 'exit' });
      await stop(load.child);
    }
    for (const i of instances) await stop(i.child);
    await redis?.stop();
    await database.drop().catch(() => {});
  }
}

// --- what a thin phone saves ----------------------------------------------------------------------

/** µs per received edit: the thin phone's byte scan against a Y.Doc applying the same update. */
function decodeCost(): { scanUs: number; docUs: number } {
  const editor = new Y.Doc();
  const updates: Uint8Array[] = [];
  editor.on('update', (u: Uint8Array) => updates.push(u));
  const text = editor.getText('t');
  for (let i = 0; i < 2000; i++) text.insert(text.length, marker(i % 2, i, 0, now()));
  const buffers = updates.map((u) => Buffer.from(u));
  let found = 0;
  let t = performance.now();
  for (let round = 0; round < 10; round++)
    for (const b of buffers) scanMarkers(b, 0, () => found++);
  const scanUs = ((performance.now() - t) * 1000) / (10 * buffers.length);
  t = performance.now();
  for (let round = 0; round < 3; round++) {
    const doc = new Y.Doc();
    const seen = doc.getText('t');
    for (const u of updates) Y.applyUpdate(doc, u);
    found += seen.length > 0 ? 1 : 0;
    doc.destroy();
  }
  const docUs = ((performance.now() - t) * 1000) / (3 * updates.length);
  return { scanUs, docUs };
}

// --- the run ---------------------------------------------------------------------------------------

if (!(await postgresReachable(adminUrl))) {
  console.log(`bench:cluster skipped: no PostgreSQL at ${adminUrl}`);
  process.exit(0);
}
if (spawnSync('redis-server', ['--version']).error) {
  console.log('bench:cluster skipped: no redis-server on the PATH (the bench starts its own)');
  process.exit(0);
}
const startedAt = Date.now();
const load0 = loadavg()[0]!;
const results: Figures[] = [];
/** N phones on one document with 2 editors and 20 checkers, on one instance or two. */
const oneDocument = (instances: 1 | 2, n: number) =>
  medianOf({
    label: `${instances === 1 ? 'one instance' : 'two instances'}, N=${n}`,
    instances,
    rooms: [{ doc: 'bench:one', thin: n, editors: 2, checkers: 20 }],
    everyMs: 100,
  });
for (const n of singleSizes) results.push(await oneDocument(1, n));
for (const n of crossSizes) {
  if (!singleSizes.includes(n)) results.push(await oneDocument(1, n));
  results.push(await oneDocument(2, n));
}
const evening: Room[] = Array.from({ length: eveningRooms }, (_, r) => {
  const checkers = r < 20 ? 1 : 0;
  return { doc: `bench:room-${r}`, thin: phonesPerRoom - 2 - checkers, editors: 2, checkers };
});
if (eveningRooms > 0)
  results.push(
    await medianOf({
      label: `evening, ${eveningRooms} rooms × ${phonesPerRoom}`,
      instances: 2,
      rooms: evening,
      everyMs: 1000,
      faults: true,
    }),
  );
const cost = decodeCost();

// --- the table ------------------------------------------------------------------------------------
const cores = cpus().length;
console.log(
  `\nCluster benchmark on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cores}, ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.versions.node}; load average ` +
    `${load0.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end; ` +
    `${((Date.now() - startedAt) / 60_000).toFixed(1)} min. ${repeats > 1 ? `Median of ${repeats} runs` : 'One run'}${full ? ' (BENCH_FULL)' : ' (short; BENCH_FULL=1 for the issue sizes)'}.`,
);
console.log(
  `Each case: a fresh PostgreSQL database; phones are thin clients (N of them) with presence, ` +
    `plus 2 editors (${seconds} s measured after ${warmUpSeconds} s warm-up) and real y-websocket checkers; ` +
    `one document: 20 checkers, editors 10 edits/s each; evening: 1 checker in each of the first 20 rooms, editors 1 edit/s each.\n`,
);
console.log(
  '| case | join s | presence s | fan-out p50 ms | p99 ms | same / cross instance p99 ms | p99 per instance ms | server CPU µs per delivery | CPU % of a core per instance | RSS MB per instance | load processes CPU % (real clients / thin) | lost | notes |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const sec = (ms: number | null) => (ms === null ? '—' : (ms / 1000).toFixed(1));
for (const f of results) {
  const notes = [...f.notes];
  const busiest = Math.max(0, ...f.loadCpu);
  if (busiest > 85)
    notes.push(`load process at ${busiest.toFixed(0)}% of a core: the load generator is a limit`);
  const ours = [...f.instanceCpu, ...f.loadCpu].reduce((a, b) => a + b, 0);
  if (f.machineBusy > 0)
    notes.push(
      `machine ${(100 * f.machineBusy).toFixed(0)}% of ${cores * 100}% busy, bench servers and load ${ours.toFixed(0)}%`,
    );
  if (f.textsDiffer) notes.push(`${f.textsDiffer} checkers' text differs from the editor's`);
  if (f.stored) notes.push(`${f.stored} edits missing from the stored documents`);
  console.log(
    `| ${f.label} | ${sec(f.joinMs)} | ${sec(f.presenceMs)} | ${fmt(f.p50)} | ${fmt(f.p99)} | ` +
      `${fmt(f.sameP99)} / ${fmt(f.crossP99)} | ${f.instanceP99.map((x) => fmt(x)).join(' / ')} | ` +
      `${fmt(f.cpuPerDelivery)} | ${f.instanceCpu.map((x) => fmt(x, 0)).join(' / ')} | ` +
      `${f.instanceRss.map((x) => fmt(x, 0)).join(' / ')} | ${f.loadCpu.map((x) => fmt(x, 0)).join(' / ')} | ` +
      `${f.lost ?? '—'} | ${notes.join('; ')} |`,
  );
}
for (const f of results)
  for (const e of f.events)
    console.log(
      `\n${f.label}, ${e.what}: every phone back with every edit sent before in ` +
        `${e.backSeconds === null ? `— (${e.missing} clients still behind after ${joinTimeoutMs / 1000} s)` : `${e.backSeconds.toFixed(1)} s`}.`,
    );
console.log(
  `\nThin phone's scan of an update for its marker: ${cost.scanUs.toFixed(2)} µs; ` +
    `a Y.Doc applying the same update: ${cost.docUs.toFixed(2)} µs (${(cost.docUs / cost.scanUs).toFixed(0)}×).`,
);
rmSync(tmp, { recursive: true, force: true });
process.exit(0);
