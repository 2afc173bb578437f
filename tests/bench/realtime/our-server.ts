// Our server for the benchmark: the real app on a fresh database, one writable `bench:*`
// document pattern, limits raised so one user may open every socket. The database is the
// embedded PGlite by default, or a throw-away database on the Postgres server named by
// BENCH_DATABASE_URL (then the process's memory is Node's alone).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp, LISTEN_BACKLOG } from '@tongxin/server';
import { benchMemory } from './memory.ts';

const adminUrl = process.env.BENCH_DATABASE_URL;
let database: { dataDir: string } | { databaseUrl: string };
let drop = async () => {};
if (adminUrl) {
  const name = `tongxin_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  database = { databaseUrl: url.toString() };
  drop = async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  };
} else {
  database = { dataDir: mkdtempSync(join(tmpdir(), 'tongxin-bench-')) };
}

const app = await buildApp({
  database,
  demo: false,
  webDir: null,
  logger: process.env.BENCH_LOG ? { level: 'warn' } : false,
  rateLimit: { user: 1_000_000, anonymous: 1_000_000 },
  // One account stands in for a hall of people: the per-user caps would throttle them all.
  realtime: {
    connectionsPerUser: 100_000,
    userBytesPerSecond: Infinity,
    userByteBurst: Infinity,
    userCpuMsPerSecond: Infinity,
    userCpuBurstMs: Infinity,
  },
});
app.live.registerDocument({ pattern: 'bench:*', kind: 'collaborative', access: () => 'write' });
app.get('/__bench/memory', { schema: { hide: true } }, async () => benchMemory());
await app.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG }); // as main.ts
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const origin = `http://127.0.0.1:${port}`;
const res = await fetch(`${origin}/api/auth/register`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin },
  body: JSON.stringify({ username: 'bench', displayName: 'bench', password: 'bench bench bench' }),
});
const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0];
console.log(`BENCH_READY ${JSON.stringify({ port, cookie })}`);
process.once('SIGTERM', () => {
  void app
    .close()
    .then(drop)
    .finally(() => process.exit(0));
});
