import type { App } from '../http/types.ts';
import { sweepReminders } from './sweep.ts';

/** How often deadlines are looked at. */
export const REMINDER_SWEEP_MS = 10 * 60_000;

/**
 * Deadlines and reminders (催办): sweeps on an interval that keeps no process alive and stops
 * with the app; several instances sweeping at once send each reminder once (sweep.ts).
 */
export function registerReminders(app: App, intervalMs = REMINDER_SWEEP_MS) {
  let running: Promise<void> | null = null;
  let closing = false;
  const run = () => {
    if (closing || running) return;
    running = (async () => {
      try {
        await sweepReminders(app);
      } catch (error) {
        app.log.warn({ err: error }, 'reminder sweep failed; it runs again later');
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
