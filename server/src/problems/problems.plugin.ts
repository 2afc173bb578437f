import type { App } from '../http/types.ts';
import { escalateOverdue } from './escalation.ts';
import { problemRoutes } from './problems.routes.ts';
import { routingRoutes } from './routing.routes.ts';

/** How often overdue reports are looked for. */
const SWEEP_MS = 5 * 60_000;

/** 随手拍 · 下呼上应: problem reports, their time limits and the live public list. */
export async function problemsPlugin(app: App) {
  await problemRoutes(app);
  await routingRoutes(app);
  const sweep = async () => {
    try {
      await escalateOverdue(app);
    } catch (error) {
      app.log.warn({ err: error }, 'problem escalation sweep failed');
    }
  };
  const timer = setInterval(() => void sweep(), SWEEP_MS);
  timer.unref();
  app.addHook('onReady', async () => void sweep());
  app.addHook('onClose', async () => clearInterval(timer));
}
