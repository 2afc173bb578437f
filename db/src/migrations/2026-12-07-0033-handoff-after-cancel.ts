import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// An action item whose activity was cancelled may be handed on again: at most one activity per
// item that is not cancelled (the cancelled ones stay, pointing back, as its history).
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index activities_one_per_action_item`.execute(db);
  await sql`create unique index activities_one_per_action_item on activities (action_item_id)
    where action_item_id is not null and status <> 'cancelled'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index activities_one_per_action_item`.execute(db);
  await sql`create unique index activities_one_per_action_item on activities (action_item_id)
    where action_item_id is not null`.execute(db);
}
