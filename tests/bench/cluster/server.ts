// One instance for the cluster benchmark, in a process of its own so its CPU and memory can be
// read from /proc: the real app on the database BENCH_DB_URL, several-instance mode when
// BENCH_REDIS_URL is set (channel prefix BENCH_REDIS_PREFIX), one writable `bench:*` document
// pattern, and the per-user limits raised so one account may stand in for a hall of phones.
// Prints "BENCH_INSTANCE <port>" once listening.
import { buildApp, LISTEN_BACKLOG } from '@tongxin/server';

const databaseUrl = process.env.BENCH_DB_URL;
if (!databaseUrl) throw new Error('BENCH_DB_URL is required');
const redisUrl = process.env.BENCH_REDIS_URL;

const app = await buildApp({
  database: { databaseUrl },
  demo: false,
  webDir: null,
  logger: process.env.BENCH_LOG ? { level: 'warn' } : false,
  rateLimit: { user: 1_000_000, anonymous: 1_000_000, login: 1_000_000 },
  realtime: {
    connectionsPerUser: 1_000_000,
    userBytesPerSecond: 1e12,
    userByteBurst: 1e12,
    userCpuMsPerSecond: 1e9,
    userCpuBurstMs: 1e9,
  },
  ...(redisUrl
    ? { cluster: { redisUrl, prefix: process.env.BENCH_REDIS_PREFIX ?? 'tongxin-bench' } }
    : {}),
});
app.live.registerDocument({ pattern: 'bench:*', kind: 'collaborative', access: () => 'write' });
await app.listen({
  port: Number(process.env.BENCH_PORT ?? 0),
  host: '127.0.0.1',
  backlog: LISTEN_BACKLOG,
});
const address = app.server.address();
console.log(`BENCH_INSTANCE ${typeof address === 'object' && address ? address.port : 0}`);
process.once('SIGTERM', () => {
  void app.close().finally(() => process.exit(0));
});
