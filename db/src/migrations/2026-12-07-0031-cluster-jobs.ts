import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // Periodic sweeps (session clean-up, reminders, escalation): when each last ran, claimed
  // with one conditional upsert, so one instance among N runs it once a period, and any
  // instance's next tick takes over from one that died.
  await db.schema
    .createTable('job_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('ran_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Work due at a moment (an amendment period's end): written in the transaction that
  // decides it, claimed by whichever instance sweeps first (SKIP LOCKED, with a lease so an
  // instance dying half-way hands it on), done once.
  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('leased_until', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('scheduled_jobs_due_idx')
    .on('scheduled_jobs')
    .column('due_at')
    .where(sql.ref('done_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scheduled_jobs').execute();
  await db.schema.dropTable('job_runs').execute();
}
