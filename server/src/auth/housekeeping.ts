import type { FastifyInstance } from 'fastify';
import { deleteLoginFailuresBefore } from '@tongxin/db/users/login-failures.queries';
import { deleteExpiredSessions } from '@tongxin/db/users/sessions.queries';
import type { App } from '../http/types.ts';
import { registerSweep } from '../jobs/sweeps.ts';
import { LOGIN_WINDOW_MS } from './login-limits.ts';

/** How often expired sessions and login failures older than their window are deleted. */
export const HOUSEKEEPING_INTERVAL_MS = 15 * 60_000;

/**
 * Deletes what nothing reads any more: expired sessions and failed logins older than the
 * failure window. A sweep claimed in the database (server/src/jobs): one instance among
 * several runs it each period, and another takes over when that one is gone.
 */
export function registerHousekeeping(app: FastifyInstance, intervalMs = HOUSEKEEPING_INTERVAL_MS) {
  registerSweep(app as App, {
    name: 'housekeeping',
    periodMs: intervalMs,
    async run() {
      await deleteExpiredSessions(app.db);
      await deleteLoginFailuresBefore(app.db, new Date(app.now().getTime() - LOGIN_WINDOW_MS));
    },
  });
}
