import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// A report's timeline is ordered by when each event was written. now() is the transaction's
// start, the same for every event one command writes (raising a fresh report writes
// accepted, then raised), which left their order to their random ids: clock_timestamp()
// is the moment of the insert.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table problem_events alter column created_at set default clock_timestamp()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table problem_events alter column created_at set default now()`.execute(db);
}
