import * as Y from 'yjs';
import { appendLiveUpdates, compactLiveDocument, loadLiveDocument, type Db } from '@tongxin/db';

/** What a loaded document starts from. */
export interface LoadedState {
  doc: Y.Doc;
  /** Nothing was stored yet: the document may be seeded. */
  fresh: boolean;
  snapshotBytes: number;
  logBytes: number;
  logCount: number;
  lastSeq: string | null;
}

/** The durable side of live documents: snapshot + update log in Postgres. */
export class LivePersistence {
  constructor(private readonly db: Db) {}

  async load(docName: string): Promise<LoadedState> {
    const stored = await loadLiveDocument(this.db, docName);
    const doc = new Y.Doc();
    let logBytes = 0;
    // One transaction: observers (none yet) and the update event fire once, not per row.
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const update of stored.updates) {
        Y.applyUpdate(doc, update);
        logBytes += update.length;
      }
    });
    return {
      doc,
      fresh: stored.snapshot === null && stored.updates.length === 0,
      snapshotBytes: stored.snapshot?.length ?? 0,
      logBytes,
      logCount: stored.updates.length,
      lastSeq: stored.lastSeq,
    };
  }

  append(docName: string, updates: Uint8Array[]): Promise<string> {
    return appendLiveUpdates(this.db, docName, updates);
  }

  /**
   * Writes `state` (which holds every logged update up to `throughSeq`) as the snapshot
   * and drops those rows, in one transaction: killed half-way, nothing is lost.
   */
  async compact(docName: string, state: Uint8Array, throughSeq: string): Promise<void> {
    await this.db
      .transaction()
      .execute((tx) => compactLiveDocument(tx, docName, state, throughSeq));
  }
}
