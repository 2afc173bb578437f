import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // One compacted Yjs state per document; the log below holds what came after it.
  await db.schema
    .createTable('live_document_snapshots')
    .addColumn('doc_name', 'text', (c) => c.primaryKey())
    .addColumn('state', 'bytea', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Append-only: every accepted update lands here before anyone else sees it.
  await db.schema
    .createTable('live_document_updates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('update', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('live_document_updates_doc_idx')
    .on('live_document_updates')
    .columns(['doc_name', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('live_document_updates').execute();
  await db.schema.dropTable('live_document_snapshots').execute();
}
