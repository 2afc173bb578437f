// Sign-up benchmark: 200 residents tap 报名 on the same shift at the same moment, wave after
// wave (a new shift each wave), against the app on embedded PGlite and on a real Postgres.
// Prints throughput (sign-ups/s) and latency percentiles; never pass/fail.
// The server runs in its own process; this process is the load generator (keep-alive HTTP).
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { postgresReachable } from '../../support/database.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const clients = Number(process.env.BENCH_CLIENTS ?? 200);
const waves = Number(process.env.BENCH_WAVES ?? 10);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Ready {
  port: number;
  cookies: string[];
  activities: string[];
}

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/signups/server.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env, BENCH_CLIENTS: String(clients), BENCH_WAVES: String(waves) },
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('BENCH_READY '));
      if (line) resolve({ child, ready: JSON.parse(line.slice(12)) as Ready });
    });
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
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
        headers: {
          cookie,
          origin: `http://127.0.0.1:${port}`,
          'content-type': 'application/json',
        },
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

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(label: string, env: Record<string, string>) {
  const { child, ready } = await startServer(env);
  try {
    const [warm, ...shifts] = ready.activities;
    // Warm-up: connections, JIT and the database's caches.
    await Promise.all(
      ready.cookies.map((c) => post(ready.port, `/api/activities/${warm}/signup`, c)),
    );
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const started = performance.now();
    for (const id of shifts) {
      const answers = await Promise.all(
        ready.cookies.map((c) => post(ready.port, `/api/activities/${id}/signup`, c)),
      );
      for (const a of answers) {
        latencies.push(a.ms);
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      label,
      signups: latencies.length,
      perSecond: latencies.length / seconds,
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      p99: pct(latencies, 99),
      max: latencies.at(-1)!,
      statuses: [...statuses].map(([s, n]) => `${n}×${s}`).join(' '),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

console.log(
  `\nSign-up benchmark: ${clients} concurrent clients × ${waves} waves (one shift each, capacity 50) · ${cpus().length} cores, ${cpus()[0]?.model ?? ''}`,
);
const results = [await measure('embedded PGlite', {})];
if (await postgresReachable(postgresUrl))
  results.push(await measure('PostgreSQL', { BENCH_DATABASE_URL: postgresUrl }));
else console.log(`(PostgreSQL at ${postgresUrl} is not reachable: skipped)`);
console.log('\n| database | sign-ups | throughput | p50 | p95 | p99 | max | answers |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const r of results)
  console.log(
    `| ${r.label} | ${r.signups} | ${r.perSecond.toFixed(0)}/s | ${r.p50.toFixed(0)} ms | ${r.p95.toFixed(0)} ms | ${r.p99.toFixed(0)} ms | ${r.max.toFixed(0)} ms | ${r.statuses} |`,
  );
agent.destroy();
