// Our server for the benchmark: the real app on a fresh embedded database, one writable
// `bench:*` document pattern, limits raised so one user may open every socket.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '@tongxin/server';

const app = await buildApp({
  database: { dataDir: mkdtempSync(join(tmpdir(), 'tongxin-bench-')) },
  demo: false,
  webDir: null,
  logger: process.env.BENCH_LOG ? { level: 'warn' } : false,
  rateLimit: { user: 1_000_000, anonymous: 1_000_000 },
  realtime: { connectionsPerUser: 100_000 },
});
app.live.registerDocument({ pattern: 'bench:*', kind: 'collaborative', access: () => 'write' });
await app.listen({ port: 0, host: '127.0.0.1' });
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
  void app.close().then(() => process.exit(0));
});
