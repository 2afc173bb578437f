import { type Kysely } from 'kysely';

// Frozen once released: never import application code here.
// A failed login remembers the address it came from, so a sweep over many accounts from one
// address is stopped too (not only guessing at one account). Null while the attempt is
// being checked, and for rows older than this migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_failures').addColumn('address', 'text').execute();
  await db.schema
    .createIndex('login_failures_address_idx')
    .on('login_failures')
    .columns(['address', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('login_failures_address_idx').execute();
  await db.schema.alterTable('login_failures').dropColumn('address').execute();
}
