// A small server for crash tests: the real app on a data directory (or DATABASE_URL), test
// documents registered, the demo data with LIVE_DEMO=1, several instances with LIVE_REDIS_URL
// (and LIVE_REDIS_PREFIX), listening on 127.0.0.1.
// Prints "LIVE_LISTENING <port>".
import { buildApp } from '@tongxin/server';
import { registerTestDocuments } from './realtime.ts';

const app = await buildApp({
  database: {
    databaseUrl: process.env.LIVE_DATABASE_URL || undefined,
    dataDir: process.env.LIVE_DATA_DIR || undefined,
  },
  demo: process.env.LIVE_DEMO === '1',
  webDir: null,
  logger: false,
  realtime: { compactAfterUpdates: Number(process.env.LIVE_COMPACT_AFTER ?? 500) },
  ...(process.env.LIVE_REDIS_URL
    ? {
        cluster: {
          redisUrl: process.env.LIVE_REDIS_URL,
          ...(process.env.LIVE_REDIS_PREFIX ? { prefix: process.env.LIVE_REDIS_PREFIX } : {}),
        },
      }
    : {}),
});
registerTestDocuments(app);
await app.listen({ port: Number(process.env.LIVE_PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
console.log(`LIVE_LISTENING ${typeof address === 'object' && address ? address.port : 0}`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
