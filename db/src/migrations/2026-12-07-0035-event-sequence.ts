import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// clock_timestamp() (0034) orders a report's events on PostgreSQL, but the embedded database
// reads a millisecond clock: accepted and raised, written in one command, tie there and fell
// back to their random ids. A sequence says which was written first.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table problem_events add column seq bigint generated always as identity`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table problem_events drop column seq`.execute(db);
}
