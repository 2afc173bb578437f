// A small server for crash tests: the real app on a data directory (or DATABASE_URL), test
// documents registered, the demo data with LIVE_DEMO=1, several instances with LIVE_REDIS_URL
// (and LIVE_REDIS_PREFIX), listening on 127.0.0.1.
// Prints "LIVE_LISTENING <port>".
import { buildApp } from '@tongxin/server';
import { DRAIN_DEADLINES, drainOnSignals } from '@tongxin/server/shutdown';
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
let sigtermAt = 0;
// What a drain that does not end is waiting for: requests not answered, sockets not closed.
const inFlight = new Map<object, string>();
app.addHook('onRequest', async (request) => {
  inFlight.set(request.raw, `${request.method} ${request.url}`);
});
app.addHook('onResponse', async (request) => {
  inFlight.delete(request.raw);
});
const sockets = new Map<object, string>();
app.server.on('connection', (socket) => {
  sockets.set(socket, `:${socket.remotePort}`);
  socket.on('close', () => sockets.delete(socket));
});
app.server.on('upgrade', (req: { url?: string; socket: object }) =>
  sockets.set(req.socket, `${sockets.get(req.socket)} upgrade ${req.url}`),
);
app.addHook('preClose', async () =>
  console.error(`LIVE_DRAINED ${Date.now() - sigtermAt} ms after SIGTERM`),
);
app.addHook('onClose', async () =>
  console.error(`LIVE_CLOSED ${Date.now() - sigtermAt} ms after SIGTERM`),
);
await app.listen({ port: Number(process.env.LIVE_PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
console.log(`LIVE_LISTENING ${typeof address === 'object' && address ? address.port : 0}`);
// The app's own bounded drain, as main.ts runs it; a drain that does not end says first what
// it still holds (the test prints it).
drainOnSignals(app, DRAIN_DEADLINES, () => {
  sigtermAt = Date.now();
  const stuck = setTimeout(() => {
    app.server.getConnections((_err, connections) =>
      console.error(
        `LIVE_STUCK ${Date.now() - sigtermAt} ms after SIGTERM: ${connections} HTTP connections; ` +
          `resources ${process.getActiveResourcesInfo().join(', ')}; ` +
          `requests ${[...inFlight.values()].join(', ')}; sockets ${[...sockets.values()].join(', ')}`,
      ),
    );
  }, DRAIN_DEADLINES.cutConnectionsAfterMs - 1_000);
  stuck.unref();
});
