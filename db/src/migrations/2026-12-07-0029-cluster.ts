import { sql, type Kysely } from 'kysely';

// Frozen once released: never import application code here.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // Several instances (REDIS_URL): each document's log gets its own gap-free positions,
  // handed out under the row lock of its head, so position order is commit order and a
  // receiver that sees position n+2 after n knows exactly which row it lacks.
  await db.schema
    .createTable('live_document_heads')
    .addColumn('doc_name', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  // Null on rows written by a single instance (they are read on load, never asked for).
  await db.schema.alterTable('live_document_updates').addColumn('doc_seq', 'bigint').execute();
  await db.schema
    .createIndex('live_document_updates_doc_seq_idx')
    .unique()
    .on('live_document_updates')
    .columns(['doc_name', 'doc_seq'])
    .where(sql.ref('doc_seq'), 'is not', null)
    .execute();
  // The last position a snapshot holds: compaction only ever moves it forward.
  await db.schema.alterTable('live_document_snapshots').addColumn('doc_seq', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('live_document_snapshots').dropColumn('doc_seq').execute();
  await db.schema.dropIndex('live_document_updates_doc_seq_idx').execute();
  await db.schema.alterTable('live_document_updates').dropColumn('doc_seq').execute();
  await db.schema.dropTable('live_document_heads').execute();
}
