import type { App } from '../http/types.ts';
import { registerSweep } from '../jobs/sweeps.ts';
import { escalateOverdue } from './escalation.ts';
import { problemRoutes } from './problems.routes.ts';
import { routingRoutes } from './routing.routes.ts';

/** How often overdue reports are looked for. */
const SWEEP_MS = 5 * 60_000;

/** 随手拍 · 下呼上应: problem reports, their time limits and the live public list. */
export async function problemsPlugin(app: App) {
  await problemRoutes(app);
  await routingRoutes(app);
  // Claimed in the database (server/src/jobs): one instance among several each period.
  registerSweep(app, {
    name: 'problem-escalation',
    periodMs: SWEEP_MS,
    run: () => escalateOverdue(app),
    atStart: true,
  });
}
