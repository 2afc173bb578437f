// Bench-only preload for the server child (`node --expose-gc --import tsx --import <this>`),
// never part of the app: counts every SQL statement the app sends through pg (queries,
// BEGIN and COMMIT alike) and, asked "stats" on the IPC channel, answers with that count
// and the process's memory after a full collection.
import pg from 'pg';

let statements = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return query.apply(this, args);
};

export interface ProbeStats {
  statements: number;
  rss: number;
  js: number;
}

process.on('message', (message) => {
  if (message !== 'stats') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const stats: ProbeStats = { statements, rss: m.rss, js: m.heapUsed + m.external };
  process.send?.(stats);
});
// The channel must not keep the server alive once main.ts lets it go.
process.channel?.unref();
