import * as Y from 'yjs';
import type { Db } from '@tongxin/db/create-db';
import {
  appendLiveUpdates,
  compactLiveDocument,
  loadLiveDocument,
} from '@tongxin/db/live/live-documents.queries';
import {
  appendSequencedLiveUpdates,
  compactSequencedLiveDocument,
  loadSequencedLiveDocument,
  readLiveHeads,
  readLiveLogSince,
  type LiveLogSince,
  type LogRange,
} from '@tongxin/db/live/cluster.queries';

/** What a loaded document starts from. */
export interface LoadedState {
  doc: Y.Doc;
  /** Nothing was stored yet: the document may be seeded. */
  fresh: boolean;
  snapshotBytes: number;
  logBytes: number;
  logCount: number;
  /**
   * Alone: id of the last update row. Several instances: the document's log position, up
   * to which the loaded state holds every row ("0" when nothing was logged).
   */
  lastSeq: string | null;
}

/**
 * The durable side of live documents: snapshot + update log in Postgres. `sequenced` (several
 * instances) numbers each document's rows (`@tongxin/db/live/cluster.queries`).
 */
export class LivePersistence {
  constructor(
    private readonly db: Db,
    readonly sequenced = false,
  ) {}

  async load(docName: string): Promise<LoadedState> {
    const stored = this.sequenced
      ? await loadSequencedLiveDocument(this.db, docName).then((s) => ({
          ...s,
          lastSeq: String(s.head),
        }))
      : await loadLiveDocument(this.db, docName);
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

  /** Several instances: appends a batch and returns its log positions. */
  appendSequenced(docName: string, updates: Uint8Array[]): Promise<LogRange> {
    return appendSequencedLiveUpdates(this.db, docName, updates);
  }

  /** Several instances: what a copy that holds every row up to `after` lacks. */
  readSince(docName: string, after: number): Promise<LiveLogSince> {
    return readLiveLogSince(this.db, docName, after);
  }

  heads(docNames: string[]): Promise<Map<string, number>> {
    return readLiveHeads(this.db, docNames);
  }

  /**
   * Writes `state` (which holds every logged update up to `throughSeq`) as the snapshot
   * and drops those rows, in one transaction: killed half-way, nothing is lost. Several
   * instances: false when another instance is compacting or already folded further.
   */
  async compact(docName: string, state: Uint8Array, throughSeq: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      if (this.sequenced)
        return compactSequencedLiveDocument(tx, docName, state, Number(throughSeq));
      await compactLiveDocument(tx, docName, state, throughSeq);
      return true;
    });
  }
}
