import { sql } from 'kysely';
import type { Db, DbOrTx } from '../create-db.ts';

/**
 * Several instances (REDIS_URL) share each live document's log. Every appended row gets the
 * next position of its document, handed out under the row lock of `live_document_heads`
 * (held to commit): positions are gap-free and commit in order, so an instance that applied
 * everything up to n and then hears of n + 2 knows which row it lacks (docs/decisions,
 * several instances).
 */

const toBytea = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

/** Positions of an appended batch, first and last (inclusive). */
export interface LogRange {
  from: number;
  to: number;
}

export interface SequencedLiveDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Every row up to this position is in `snapshot` + `updates`; 0 when nothing was logged. */
  head: number;
}

/** Snapshot, log and head as of one moment. */
export function loadSequencedLiveDocument(db: Db, docName: string): Promise<SequencedLiveDocument> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const head = await readHead(tx, docName);
      const snapshot = await tx
        .selectFrom('liveDocumentSnapshots')
        .select('state')
        .where('docName', '=', docName)
        .executeTakeFirst();
      const rows = await tx
        .selectFrom('liveDocumentUpdates')
        .select('update')
        .where('docName', '=', docName)
        .orderBy('id')
        .execute();
      return {
        snapshot: snapshot ? new Uint8Array(snapshot.state) : null,
        updates: rows.map((r) => new Uint8Array(r.update)),
        head,
      };
    });
}

async function readHead(db: DbOrTx, docName: string): Promise<number> {
  const row = await db
    .selectFrom('liveDocumentHeads')
    .select('seq')
    .where('docName', '=', docName)
    .executeTakeFirst();
  return row ? Number(row.seq) : 0;
}

/** Appends a batch in one transaction and returns its positions. */
export function appendSequencedLiveUpdates(
  db: Db,
  docName: string,
  updates: Uint8Array[],
): Promise<LogRange> {
  if (updates.length === 0) throw new Error('appendSequencedLiveUpdates: nothing to append');
  return db.transaction().execute(async (tx) => {
    // The head row stays locked until commit: the next batch of this document waits here.
    const head = await tx
      .insertInto('liveDocumentHeads')
      .values({ docName, seq: updates.length })
      .onConflict((oc) =>
        oc
          .column('docName')
          .doUpdateSet({ seq: sql`live_document_heads.seq + ${updates.length}::bigint` }),
      )
      .returning('seq')
      .executeTakeFirstOrThrow();
    const to = Number(head.seq);
    const from = to - updates.length + 1;
    await tx
      .insertInto('liveDocumentUpdates')
      .values(updates.map((u, i) => ({ docName, update: toBytea(u), docSeq: from + i })))
      .execute();
    return { from, to };
  });
}

export interface LiveLogSince {
  /** The snapshot, when rows after `after` were already folded into it. */
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  head: number;
}

/** What an instance that applied everything up to `after` lacks, as of one moment. */
export function readLiveLogSince(db: Db, docName: string, after: number): Promise<LiveLogSince> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const head = await readHead(tx, docName);
      if (head <= after) return { snapshot: null, updates: [], head };
      const rows = await tx
        .selectFrom('liveDocumentUpdates')
        .select(['update', 'docSeq'])
        .where('docName', '=', docName)
        .where('docSeq', '>', String(after))
        .orderBy('docSeq')
        .execute();
      let snapshot: Uint8Array | null = null;
      // Rows right after `after` were compacted away: the snapshot that replaced them holds them.
      if (Number(rows[0]?.docSeq ?? head + 1) !== after + 1) {
        const row = await tx
          .selectFrom('liveDocumentSnapshots')
          .select('state')
          .where('docName', '=', docName)
          .executeTakeFirst();
        snapshot = row ? new Uint8Array(row.state) : null;
      }
      return { snapshot, updates: rows.map((r) => new Uint8Array(r.update)), head };
    });
}

/** The heads of several documents (an instance checks it missed nothing). */
export async function readLiveHeads(db: Db, docNames: string[]): Promise<Map<string, number>> {
  if (docNames.length === 0) return new Map();
  const rows = await db
    .selectFrom('liveDocumentHeads')
    .select(['docName', 'seq'])
    .where('docName', 'in', docNames)
    .execute();
  return new Map(rows.map((r) => [r.docName, Number(r.seq)]));
}

/**
 * Folds the log up to `through` into `state` (which holds every row up to it). Two
 * instances never fold one document at once (a transaction-scoped advisory lock; the
 * loser skips), and a snapshot only moves forward: an instance that is behind never
 * replaces a newer one. False when it skipped. Call inside a transaction.
 */
export async function compactSequencedLiveDocument(
  tx: DbOrTx,
  docName: string,
  state: Uint8Array,
  through: number,
): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(hashtextextended(${`tongxin-live:${docName}`}, 0)) as locked
  `.execute(tx);
  if (!rows[0]?.locked) return false;
  const current = await tx
    .selectFrom('liveDocumentSnapshots')
    .select('docSeq')
    .where('docName', '=', docName)
    .executeTakeFirst();
  if (current?.docSeq != null && Number(current.docSeq) >= through) return false;
  await tx
    .insertInto('liveDocumentSnapshots')
    .values({ docName, state: toBytea(state), docSeq: String(through) })
    .onConflict((oc) =>
      oc
        .column('docName')
        .doUpdateSet({ state: toBytea(state), docSeq: String(through), updatedAt: sql`now()` }),
    )
    .execute();
  await tx
    .deleteFrom('liveDocumentUpdates')
    .where('docName', '=', docName)
    .where((eb) => eb.or([eb('docSeq', '<=', String(through)), eb('docSeq', 'is', null)]))
    .execute();
  return true;
}

/** Readiness: the database answers. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
