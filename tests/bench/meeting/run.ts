// Meeting-night benchmark (`npm run bench:meeting`): N phones in a roundtable in 议事 on real
// Postgres — join, check in, vote 0–2 s after the vote opens, see the tally and the close —
// against the floor, a bare @y/websocket-server with the same phones, ballots as map keys.
// Prints figures beside the floor's and the targets; never pass/fail.
// Default: N = 10/100/300, 3 votes per case, one run. BENCH_FULL=1: median of 3 runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  cpuSeconds,
  fmt,
  lines,
  machineBusySeconds,
  median,
  percentile,
  ratio,
  rssMb,
  stop,
} from '../proc.ts';
import type { Command, PhonesConfig, TallyEvent } from './phones.ts';
import { startFloor, startOurs, type Target } from './targets.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const full = process.env.BENCH_FULL === '1' || process.argv.includes('--full');
const sizes = (process.env.BENCH_N ?? '10,100,300').split(',').map(Number).filter(Boolean);
const runs = Number(process.env.BENCH_RUNS ?? (full ? 3 : 1));
const votesPerCase = Number(process.env.BENCH_VOTES ?? 3);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const STEP_MS = Number(process.env.BENCH_STEP_TIMEOUT_MS ?? 300_000);
const TOTAL_MS = Number(process.env.BENCH_TIMEOUT_MS ?? (full ? 60 : 20) * 60_000);
/** BENCH_SERVERS=ours: skip the floor while investigating (no ratios then). */
const kinds: Kind[] = process.env.BENCH_SERVERS === 'ours' ? ['ours'] : ['ours', 'floor'];
/** Phones per load process: at most two processes ("1–2 child processes"). */
const loadProcs = (n: number) => (n > 150 ? 2 : 1);

type Kind = 'ours' | 'floor';
type Figures = Record<string, number | null>;

const cleanups = new Set<() => Promise<void>>();
async function cleanUp() {
  for (const c of [...cleanups].reverse()) await c().catch(() => {});
  cleanups.clear();
}
function fatal(message: string) {
  console.error(`\nbench:meeting stopped: ${message}`);
  void cleanUp().finally(() => process.exit(1));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => fatal(`received ${signal}`));
setTimeout(() => fatal(`the whole run took over ${TOTAL_MS / 60_000} min`), TOTAL_MS).unref();

/** Progress on stderr, so a slow run shows where it is. */
const step = (what: string) => console.error(`  ${new Date().toISOString().slice(11, 19)} ${what}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

/** One load process and the events it has sent, taken in order by `next`. */
class Load {
  readonly child: ChildProcess;
  readonly #events: Array<Record<string, unknown>> = [];
  #error: string | null = null;
  /** Phones of this process that have joined, as last reported. */
  joined = 0;
  constructor(config: PhonesConfig) {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/bench/meeting/phones.ts', JSON.stringify(config)],
      { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    lines(this.child, (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as Record<string, unknown>;
      if (event.ev === 'error') this.#error = String(event.reason);
      else if (event.ev === 'progress') this.joined = event.joined as number;
      else this.#events.push(event);
    });
    this.child.once('exit', (code) => (this.#error ??= `a load process exited with ${code}`));
    cleanups.add(() => stop(this.child));
  }
  send(command: Command) {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }
  async next(match: (e: Record<string, unknown>) => boolean, what: string) {
    const deadline = performance.now() + STEP_MS;
    for (;;) {
      const i = this.#events.findIndex(match);
      if (i >= 0) return this.#events.splice(i, 1)[0]!;
      if (this.#error) throw new Error(`${what}: ${this.#error}`);
      if (performance.now() > deadline) throw new Error(`no ${what} within ${STEP_MS / 1000} s`);
      await sleep(10);
    }
  }
  cpu = () => cpuSeconds(this.child.pid!);
}

const JOINED = 'all phones joined';
async function all(loads: Load[], match: (e: Record<string, unknown>) => boolean, what: string) {
  try {
    return await Promise.all(loads.map((l) => l.next(match, what)));
  } catch (error) {
    if (what !== JOINED) throw error;
    const joined = loads.reduce((n, l) => n + l.joined, 0);
    throw new Error(
      `${(error as Error).message} (${joined} phones had joined by the last report)`,
      {
        cause: error,
      },
    );
  }
}

/** CPU of the server, its database and the load processes between two marks. */
async function cpuMark(target: Target, loads: Load[]) {
  return {
    t: performance.now(),
    server: cpuSeconds(target.pid),
    db: await target.dbCpu(),
    load: loads.map((l) => l.cpu()),
    machine: machineBusySeconds(),
  };
}
type Mark = Awaited<ReturnType<typeof cpuMark>>;
/** Percent of one core over the window, per party. */
function cpuPct(a: Mark, b: Mark) {
  const s = (b.t - a.t) / 1000 / 100;
  const load = b.load.map((x, i) => (x - a.load[i]!) / s);
  return {
    server: (b.server - a.server) / s,
    db: (b.db - a.db) / s,
    load: load.reduce((x, y) => x + y, 0),
    loadMax: Math.max(...load),
    machine: (b.machine - a.machine) / s,
  };
}

async function runCase(kind: Kind, n: number): Promise<Figures> {
  const target = kind === 'ours' ? await startOurs(n, adminUrl) : await startFloor(n);
  cleanups.add(target.close);
  const procs = loadProcs(n);
  const loads = Array.from({ length: procs }, (_, i) => {
    const share = target.phones.filter((_, p) => p % procs === i);
    return new Load({
      mode: kind,
      origin: target.origin,
      wsUrl: target.wsUrl,
      roundtableId: target.roundtableId,
      phones: share,
      totalPhones: n,
      procIndex: i,
      resyncMs: 2_000,
      spreadMs: 2_000,
      timeoutMs: STEP_MS,
    });
  });
  await all(loads, (e) => e.ev === 'ready', 'load process start');
  // Three phones join and leave first: the join path's code is compiled and the documents
  // are loaded before the memory baseline, so per-connection memory is what a phone keeps.
  loads[0]!.send({ cmd: 'rehearse', count: 3 });
  await loads[0]!.next((e) => e.ev === 'rehearsed', 'rehearsal');
  const base = await target.stats();

  const joinStart = await cpuMark(target, loads);
  const sentAt = now();
  loads.forEach((l) => l.send({ cmd: 'join' }));
  const joined = await all(loads, (e) => e.ev === 'joined', JOINED);
  const joinMs = Math.max(...joined.map((e) => e.at as number)) - sentAt;
  step(`all ${n} phones joined in ${(joinMs / 1000).toFixed(1)} s`);
  const joinCpu = cpuPct(joinStart, await cpuMark(target, loads));
  await sleep(2_000); // idle: every socket open, nothing happening
  const idle = await target.stats();
  const rssKbPerConn = (idle.rss - base.rss) / 1024 / (3 * n);
  // JavaScript memory after the GC: what the sockets keep, without RSS's high-water marks.
  const jsKbPerConn = (idle.js - base.js) / 1024 / (3 * n);
  const serverRssIdle = idle.rss / 2 ** 20;

  loads.forEach((l) => l.send({ cmd: 'attend' }));
  await all(loads, (e) => e.ev === 'attended', 'check-ins');
  step('all phones checked in');
  await sleep(1_000);

  const sends: number[] = [];
  const ballotMs: number[] = [];
  const tallyMs: number[] = [];
  const openMs: number[] = [];
  const closeVoteMs: number[] = [];
  const closeMs: number[] = [];
  let requests = 0;
  let statements = 0;
  const votesStart = await cpuMark(target, loads);
  const requestCount = async () => {
    loads.forEach((l) => l.send({ cmd: 'requests' }));
    const counts = await all(loads, (e) => e.ev === 'requests', 'request counts');
    return counts.reduce((a, e) => a + (e.requests as number), 0);
  };
  for (let v = 0; v < votesPerCase; v++) {
    const requestsBefore = await requestCount();
    const sqlBefore = (await target.stats()).statements;
    let voteId: string;
    if (kind === 'ours') {
      const opened = await target.openVote();
      voteId = opened.id;
      openMs.push(opened.ms);
    } else {
      voteId = `vote-${v}`;
      loads[0]!.send({ cmd: 'floor-vote', voteId, open: true });
      await loads[0]!.next((e) => e.ev === 'floor-sent', 'the floor chair opening the vote');
    }
    const tallies = (await all(
      loads,
      (e) => e.ev === 'tallied' && e.voteId === voteId,
      'every ballot counted on every phone',
    )) as unknown as TallyEvent[];
    requests += (await requestCount()) - requestsBefore;
    statements += (await target.stats()).statements - sqlBefore;
    // Ballot k is visible on every phone when the last phone first counts k ballots; it is
    // timed from the k-th ballot sent (no phone can count k before k were sent).
    const sent = tallies.flatMap((t) => t.sends).sort((a, b) => a - b);
    sends.push(...sent);
    ballotMs.push(...tallies.flatMap((t) => t.ballotMs));
    for (let k = 0; k < sent.length; k++)
      tallyMs.push(Math.max(...tallies.map((t) => t.seen[k] ?? Infinity)) - sent[k]!);
    await sleep(300);
    let closeAt = now();
    if (kind === 'ours') closeVoteMs.push(await target.closeVote(voteId));
    else {
      loads[0]!.send({ cmd: 'floor-vote', voteId, open: false });
      const e = await loads[0]!.next((x) => x.ev === 'floor-sent', 'the floor chair closing');
      closeAt = e.at as number;
    }
    const closed = await all(
      loads,
      (e) => e.ev === 'closed' && e.voteId === voteId,
      'the close on every phone',
    );
    closeMs.push(Math.max(...closed.map((e) => e.at as number)) - closeAt);
    step(`vote ${v + 1} of ${votesPerCase} opened, counted on every phone and closed`);
    await sleep(500);
  }
  const voteCpu = cpuPct(votesStart, await cpuMark(target, loads));
  const rssEnd = rssMb(target.pid);
  loads.forEach((l) => l.send({ cmd: 'exit' }));
  await Promise.all(loads.map((l) => stop(l.child)));
  cleanups.delete(target.close);
  await target.close();

  const sorted = (xs: number[]) => Float64Array.from(xs).sort();
  const tally = sorted(tallyMs);
  const ballots = sorted(ballotMs);
  const mid = (xs: number[]) => (xs.length ? percentile(sorted(xs), 50) : null);
  const ballotCount = sends.length;
  return {
    joinMs,
    ballotP50: ballots.length ? percentile(ballots, 50) : null,
    ballotP99: ballots.length ? percentile(ballots, 99) : null,
    tallyP50: percentile(tally, 50),
    tallyP99: percentile(tally, 99),
    closeMs: mid(closeMs),
    openVoteMs: mid(openMs),
    closeVoteMs: mid(closeVoteMs),
    apiPerBallot: requests / ballotCount,
    sqlPerBallot: kind === 'ours' ? statements / ballotCount : null,
    serverCpuJoin: joinCpu.server,
    dbCpuJoin: kind === 'ours' ? joinCpu.db : null,
    loadCpuJoin: joinCpu.load,
    loadMaxJoin: joinCpu.loadMax,
    machineJoin: joinCpu.machine,
    serverCpuVotes: voteCpu.server,
    dbCpuVotes: kind === 'ours' ? voteCpu.db : null,
    loadCpuVotes: voteCpu.load,
    loadMaxVotes: voteCpu.loadMax,
    machineVotes: voteCpu.machine,
    serverRssIdleMb: serverRssIdle,
    serverRssEndMb: rssEnd,
    rssKbPerConn,
    jsKbPerConn,
  };
}

const LABELS: Array<[string, string, number]> = [
  ['joinMs', 'all phones joined (synced), ms', 0],
  ['ballotP50', 'ballot POST p50, ms', 1],
  ['ballotP99', 'ballot POST p99, ms', 1],
  ['tallyP50', 'ballot → tally on every phone p50, ms', 1],
  ['tallyP99', 'ballot → tally on every phone p99, ms', 1],
  ['closeMs', 'close → result on every phone, ms', 1],
  ['openVoteMs', "chair's open-vote POST, ms", 1],
  ['closeVoteMs', "chair's close-vote POST, ms", 1],
  ['apiPerBallot', 'API requests per ballot', 2],
  ['sqlPerBallot', 'SQL statements per ballot', 1],
  ['serverCpuJoin', 'server CPU while joining, % of a core', 0],
  ['dbCpuJoin', 'Postgres CPU while joining, %', 0],
  ['loadCpuJoin', 'load CPU while joining, % (all processes)', 0],
  ['machineJoin', `whole machine busy while joining, % of ${cpus().length * 100}`, 0],
  ['serverCpuVotes', 'server CPU during the votes, % of a core', 0],
  ['dbCpuVotes', 'Postgres CPU during the votes, %', 0],
  ['loadCpuVotes', 'load CPU during the votes, % (all processes)', 0],
  ['loadMaxVotes', 'busiest load process during the votes, %', 0],
  ['machineVotes', `whole machine busy during the votes, % of ${cpus().length * 100}`, 0],
  ['serverRssIdleMb', 'server RSS, all phones idle, MB', 0],
  ['serverRssEndMb', 'server RSS after the votes, MB', 0],
  ['rssKbPerConn', 'RSS per idle live connection, KB', 1],
  ['jsKbPerConn', 'JS heap + external per idle live connection, KB', 1],
];

/**
 * What most likely set a figure: whichever party was nearest its ceiling (one core for the
 * server and each load process, the machine for Postgres), or, when the machine was nearly
 * full and other people's processes used most of it, the busy machine.
 */
function limiter(f: Figures, phase: 'Join' | 'Votes'): string {
  const cores = cpus().length;
  const server = f[`serverCpu${phase}`] ?? 0;
  const db = f[`dbCpu${phase}`] ?? 0;
  const load = f[`loadCpu${phase}`] ?? 0;
  const machine = f[`machine${phase}`] ?? 0;
  const others = Math.max(0, machine - server - db - load);
  const parties: Array<[string, number]> = [
    ['server', server / 100],
    ['Postgres', db / (100 * cores)],
    ['load generator', (f[`loadMax${phase}`] ?? 0) / 100],
  ];
  const [name, share] = parties.sort((a, b) => b[1] - a[1])[0]!;
  const usage =
    `server ${server.toFixed(0)}%, Postgres ${db.toFixed(0)}%, load ${load.toFixed(0)}%, ` +
    `others ${others.toFixed(0)}% of ${cores * 100}%`;
  if (machine > 85 * cores && others > server + db + load) return `the busy machine (${usage})`;
  return `${name}, ${(share * 100).toFixed(0)}% of its ceiling (${usage})`;
}

async function main() {
  console.log(
    `Meeting-night benchmark on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ` +
      `${loadavg()[0]!.toFixed(1)} at the start; N=${sizes.join('/')}, ${votesPerCase} votes per ` +
      `case, ${runs} run(s), median shown; Postgres at ${adminUrl.replace(/\/\/[^@]*@/, '//')}`,
  );
  const results = new Map<string, Figures>();
  for (const n of sizes) {
    const byKind: Record<Kind, Figures[]> = { ours: [], floor: [] };
    for (let r = 0; r < runs; r++)
      for (const kind of kinds) {
        console.log(`… N=${n} ${kind} run ${r + 1}/${runs}`);
        const figures = await runCase(kind, n);
        byKind[kind].push(figures);
        // Each case's figures at once, so a later failure does not lose them.
        step(
          `N=${n} ${kind}: ${JSON.stringify(figures, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`,
        );
      }
    for (const kind of kinds) {
      const keys = Object.keys(byKind[kind][0]!);
      results.set(
        `${kind}:${n}`,
        Object.fromEntries(keys.map((k) => [k, median(byKind[kind].map((f) => f[k] ?? null))])),
      );
    }
    const o = results.get(`ours:${n}`)!;
    const f = results.get(`floor:${n}`) ?? {};
    console.log(`\n| N=${n} | ours | floor | ours/floor |\n|---|---:|---:|---:|`);
    for (const [key, label, digits] of LABELS)
      console.log(
        `| ${label} | ${fmt(o[key], digits)} | ${fmt(f[key], digits)} | ${ratio(o[key], f[key])} |`,
      );
    console.log('');
  }
  targets(results);
}

function targets(results: Map<string, Figures>) {
  console.log('Targets (ours against the floor, same run):');
  const say = (what: string, value: number | null, limit: number, by: string) =>
    console.log(
      `- ${what}: ${value === null ? '—' : value.toFixed(2)} (target ≤ ${limit}) ` +
        `${value !== null && value <= limit ? 'MET' : 'NOT MET'}; limited by ${by}`,
    );
  const r = (key: string, n: number) => {
    const o = results.get(`ours:${n}`)?.[key];
    const f = results.get(`floor:${n}`)?.[key];
    return o == null || f == null || f === 0 ? null : o / f;
  };
  for (const n of sizes.filter((x) => x >= 100)) {
    const o = results.get(`ours:${n}`)!;
    say(`N=${n} join ours/floor`, r('joinMs', n), 2, limiter(o, 'Join'));
    say(`N=${n} ballot → tally p99 ours/floor`, r('tallyP99', n), 1.5, limiter(o, 'Votes'));
    say(`N=${n} close → result ours/floor`, r('closeMs', n), 5, limiter(o, 'Votes'));
    say(
      `N=${n} API requests per ballot`,
      o.apiPerBallot ?? null,
      1,
      'the page (requests it makes)',
    );
    say(`N=${n} RSS per idle connection ours/floor`, r('rssKbPerConn', n), 1.5, 'server memory');
  }
  const small = results.get(`ours:${Math.min(...sizes)}`)?.openVoteMs;
  const big = results.get(`ours:${Math.max(...sizes)}`);
  if (small != null && big?.openVoteMs != null && Math.min(...sizes) < Math.max(...sizes))
    say(
      `open-vote POST N=${Math.max(...sizes)} / N=${Math.min(...sizes)}`,
      big.openVoteMs / small,
      2,
      limiter(big, 'Votes'),
    );
  console.log(
    `Load average at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}

try {
  await main();
} catch (error) {
  console.error(
    `\nbench:meeting stopped: ${error instanceof Error ? error.message : String(error)}`,
  );
  await cleanUp();
  process.exit(1);
}
await cleanUp();
process.exit(0);
