import type { App } from '../http/types.ts';
import { registerSweep } from '../jobs/sweeps.ts';
import { sweepReminders } from './sweep.ts';

/** How often deadlines are looked at. */
export const REMINDER_SWEEP_MS = 10 * 60_000;

/**
 * Deadlines and reminders (催办): a sweep claimed in the database (server/src/jobs), run by
 * one instance among several each period; each reminder is sent once anyway (sweep.ts).
 */
export function registerReminders(app: App, intervalMs = REMINDER_SWEEP_MS) {
  registerSweep(app, { name: 'reminders', periodMs: intervalMs, run: () => sweepReminders(app) });
}
