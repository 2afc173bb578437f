import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';

/**
 * Jobs that must run once across several instances and outlive the one that scheduled
 * them (docs/decisions, several instances). Every statement here is one autocommit claim:
 * no transaction is held while the job runs, so the embedded database (one connection)
 * works the same.
 */

/**
 * Claims this period's run of the sweep `name`: true for exactly one caller per `periodMs`
 * across all instances (the database's clock decides), false for the others.
 */
export async function claimJobRun(db: DbOrTx, name: string, periodMs: number): Promise<boolean> {
  const { rows } = await sql<{ name: string }>`
    insert into job_runs (name, ran_at) values (${name}, now())
    on conflict (name) do update set ran_at = excluded.ran_at
      where job_runs.ran_at <= now() - make_interval(secs => ${periodMs / 1000})
    returning name
  `.execute(db);
  return rows.length > 0;
}

/** Schedules work due at `dueAt`; call in the transaction that decides it. */
export async function scheduleJob(
  db: DbOrTx,
  job: { kind: string; subject: string; dueAt: Date },
): Promise<void> {
  await db.insertInto('scheduledJobs').values(job).execute();
}

export interface DueJob {
  id: string;
  kind: string;
  subject: string;
  dueAt: Date;
  attempts: number;
}

/**
 * Claims up to `limit` due jobs of `kinds` for `leaseMs`: another instance skips them
 * meanwhile, and takes them over when the lease runs out without `finishJob` (the claimer
 * died). Only the kinds the caller can carry out: an instance of an older release, during a
 * rolling restart, must leave a newer kind to the instances that know it.
 */
export async function claimDueJobs(
  db: DbOrTx,
  { leaseMs, kinds, limit = 50 }: { leaseMs: number; kinds: readonly string[]; limit?: number },
): Promise<DueJob[]> {
  if (kinds.length === 0) return [];
  const { rows } = await sql<DueJob>`
    update scheduled_jobs set
      leased_until = now() + make_interval(secs => ${leaseMs / 1000}),
      attempts = attempts + 1
    where id in (
      select id from scheduled_jobs
      where done_at is null and due_at <= now() and kind in (${sql.join(kinds)})
        and (leased_until is null or leased_until < now())
      order by due_at
      limit ${limit}
      for update skip locked
    )
    returning id, kind, subject, due_at as "dueAt", attempts
  `.execute(db);
  return rows;
}

export async function finishJob(db: DbOrTx, id: string): Promise<void> {
  await db
    .updateTable('scheduledJobs')
    .set({ doneAt: sql`now()` })
    .where('id', '=', id)
    .execute();
}
