import { sql } from 'kysely';
import type { Db, DbOrTx } from '../create-db.ts';

/** What is stored for one live document: the compacted state, then the updates after it. */
export interface StoredLiveDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Id of the last update row, as text (bigserial); null when the log is empty. */
  lastSeq: string | null;
}

// pg sends a Buffer as bytea; a bare Uint8Array view could be sent as text.
const toBytea = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

/**
 * Snapshot and log as of one moment: a compaction committing between the two reads would
 * otherwise leave the old snapshot beside a log already emptied of what the new one holds.
 */
export function loadLiveDocument(db: Db, docName: string): Promise<StoredLiveDocument> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((tx) => readLiveDocument(tx, docName));
}

async function readLiveDocument(db: DbOrTx, docName: string): Promise<StoredLiveDocument> {
  const snapshot = await db
    .selectFrom('liveDocumentSnapshots')
    .select('state')
    .where('docName', '=', docName)
    .executeTakeFirst();
  const rows = await db
    .selectFrom('liveDocumentUpdates')
    .select(['update', sql<string>`id::text`.as('seq')])
    .where('docName', '=', docName)
    .orderBy('id')
    .execute();
  return {
    snapshot: snapshot ? new Uint8Array(snapshot.state) : null,
    updates: rows.map((r) => new Uint8Array(r.update)),
    lastSeq: rows.at(-1)?.seq ?? null,
  };
}

/** Appends updates in one statement (group commit); returns the id of the last row. */
export async function appendLiveUpdates(
  db: DbOrTx,
  docName: string,
  updates: Uint8Array[],
): Promise<string> {
  const rows = await db
    .insertInto('liveDocumentUpdates')
    .values(updates.map((u) => ({ docName, update: toBytea(u) })))
    .returning(sql<string>`id::text`.as('seq'))
    .execute();
  const last = rows.at(-1);
  if (!last) throw new Error('appendLiveUpdates: nothing inserted');
  return last.seq;
}

/**
 * Replaces the snapshot with `state`, which must include every update up to `throughSeq`,
 * and drops those log rows. Call it inside a transaction so a crash keeps either the old
 * snapshot and the whole log, or the new snapshot and the rest of the log.
 */
export async function compactLiveDocument(
  db: DbOrTx,
  docName: string,
  state: Uint8Array,
  throughSeq: string,
): Promise<void> {
  await db
    .insertInto('liveDocumentSnapshots')
    .values({ docName, state: toBytea(state) })
    .onConflict((oc) =>
      oc.column('docName').doUpdateSet({ state: toBytea(state), updatedAt: sql`now()` }),
    )
    .execute();
  await db
    .deleteFrom('liveDocumentUpdates')
    .where('docName', '=', docName)
    .where('id', '<=', sql<string>`${throughSeq}::bigint`)
    .execute();
}
