import type { FastifyInstance } from 'fastify';

export interface DrainDeadlines {
  /** Then HTTP connections still open are cut (a request stuck behind a lock, a socket mid-upgrade). */
  cutConnectionsAfterMs: number;
  /** Then the process exits whatever is left; systemd's TimeoutStopSec (30 s) would kill it anyway. */
  exitAfterMs: number;
}

export const DRAIN_DEADLINES: DrainDeadlines = {
  cutConnectionsAfterMs: 10_000,
  exitAfterMs: 20_000,
};

/**
 * SIGTERM or SIGINT drains the app once: /api/ready turns 503, live sockets close with 1012
 * (phones reconnect through the balancer to another instance), what was received is made
 * durable, then the process exits 0. A drain is bounded: a live update is stored before it is
 * relayed and a command commits before it answers, so cutting what is still open loses nothing
 * that was acknowledged — the phone retries elsewhere — while a drain that never ends would
 * hold a rolling restart up.
 */
export function drainOnSignals(
  app: FastifyInstance,
  deadlines: DrainDeadlines = DRAIN_DEADLINES,
  onSignal: () => void = () => {},
): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      onSignal();
      app.log.info({ signal }, 'shutting down');
      const cut = setTimeout(() => {
        app.log.warn('drain still waiting: cutting the HTTP connections left open');
        app.server.closeAllConnections();
      }, deadlines.cutConnectionsAfterMs);
      const exit = setTimeout(() => {
        app.log.error('drain did not end: exiting');
        process.exit(1);
      }, deadlines.exitAfterMs);
      cut.unref();
      exit.unref();
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
