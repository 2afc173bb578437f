import { type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// A 集中服务日 rule can be ended: from then on it lays out no new activities. The row stays
// (its past activities point at it); ended_at says when it stopped.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('service_day_rules').addColumn('ended_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('service_day_rules').dropColumn('ended_at').execute();
}
