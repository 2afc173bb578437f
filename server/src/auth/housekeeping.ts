import type { FastifyInstance } from 'fastify';
import { deleteLoginFailuresBefore } from '@tongxin/db/users/login-failures.queries';
import { deleteExpiredSessions } from '@tongxin/db/users/sessions.queries';
import { LOGIN_WINDOW_MS } from './login-limits.ts';

/** How often expired sessions and login failures older than their window are deleted. */
export const HOUSEKEEPING_INTERVAL_MS = 15 * 60_000;

/**
 * Deletes what nothing reads any more: expired sessions and failed logins older than the
 * failure window. Each is one DELETE of rows that are dead for every instance alike, so
 * several instances running it at once do the same harmless work; no lock is needed.
 * The timer keeps no process alive and stops with the app.
 */
export function registerHousekeeping(app: FastifyInstance, intervalMs = HOUSEKEEPING_INTERVAL_MS) {
  let running: Promise<void> | null = null;
  let closing = false;
  const run = () => {
    if (closing || running) return;
    running = (async () => {
      try {
        await deleteExpiredSessions(app.db);
        await deleteLoginFailuresBefore(app.db, new Date(app.now().getTime() - LOGIN_WINDOW_MS));
      } catch (error) {
        app.log.warn({ err: error }, 'housekeeping failed; it runs again later');
      }
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  app.addHook('preClose', async () => {
    closing = true;
    clearInterval(timer);
    await running;
  });
}
