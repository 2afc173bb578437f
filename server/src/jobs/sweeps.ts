import { claimDueJobs, claimJobRun, finishJob, type DueJob } from '@tongxin/db/jobs/jobs.queries';
import type { App } from '../http/types.ts';

/**
 * Timers that matter live in the database (docs/decisions, several instances): a periodic
 * sweep runs once a period across all instances, and work due at a moment is a row any
 * instance carries out. Nothing that matters is only a setTimeout in one process.
 */

export interface Sweep {
  /** Unique across the app: the row that says when it last ran. */
  name: string;
  /** Once per period across all instances. */
  periodMs: number;
  run(): Promise<unknown>;
  /** Also look once the app is ready (a claim like any: still once a period). */
  atStart?: boolean;
}

/**
 * Starts `sweep` on this instance: it looks four times a period and runs when it claims
 * the period, so with N instances it runs once a period, and with one dead the others
 * carry on within a quarter of a period. `tick` looks now; `stop` waits for a run under way.
 */
export function startSweep(app: App, sweep: Sweep): { tick(): void; stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = (async () => {
      try {
        if (await claimJobRun(app.db, sweep.name, sweep.periodMs)) await sweep.run();
      } catch (error) {
        app.log.warn({ err: error, job: sweep.name }, 'sweep failed; it runs again later');
      }
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, Math.max(1, Math.floor(sweep.periodMs / 4)));
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** `startSweep`, first looking once the app is ready (`atStart`), stopped when it closes. */
export function registerSweep(app: App, sweep: Sweep): void {
  const { tick, stop } = startSweep(app, sweep);
  if (sweep.atStart) app.addHook('onReady', async () => tick());
  app.addHook('preClose', stop);
}

export type DueJobHandler = (app: App, job: DueJob) => Promise<void>;

/** How often due jobs are looked for, and how long a claim lasts before another may retry. */
export const DUE_JOBS_MS = 5_000;
const LEASE_MS = 60_000;
/** A job that failed this often is left (logged) rather than retried for ever. */
const MAX_ATTEMPTS = 5;

/**
 * Carries out due jobs (`scheduleJob` in db/src/jobs) of the kinds in `handlers`, leaving
 * other kinds to instances that know them. Every instance looks every `everyMs`; a job is
 * claimed by one, and retried by any after its lease if the claimer died
 * before finishing it. Handlers must be safe to run twice (a crash after the work, before
 * `finishJob`).
 */
export function startDueJobs(
  app: App,
  handlers: Record<string, DueJobHandler>,
  everyMs = DUE_JOBS_MS,
): () => Promise<void> {
  const kinds = Object.keys(handlers);
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = (async () => {
      try {
        const claimed = await claimDueJobs(app.db, { leaseMs: LEASE_MS, kinds });
        for (const job of claimed) {
          try {
            await handlers[job.kind]!(app, job);
            await finishJob(app.db, job.id);
          } catch (error) {
            app.log.warn({ err: error, job }, 'due job failed; retried after its lease');
            if (job.attempts >= MAX_ATTEMPTS) await finishJob(app.db, job.id);
          }
        }
      } catch (error) {
        app.log.warn({ err: error }, 'due jobs sweep failed');
      }
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

/** `startDueJobs`, stopped when the app closes. */
export function registerDueJobs(
  app: App,
  handlers: Record<string, DueJobHandler>,
  everyMs = DUE_JOBS_MS,
): void {
  const stop = startDueJobs(app, handlers, everyMs);
  app.addHook('preClose', stop);
}
