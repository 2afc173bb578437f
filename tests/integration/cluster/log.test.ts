import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDb, type DbHandle } from '@tongxin/db/create-db';
import {
  appendSequencedLiveUpdates,
  compactSequencedLiveDocument,
  loadSequencedLiveDocument,
  readLiveLogSince,
} from '@tongxin/db/live/cluster.queries';
import { clusterTestsEnabled } from '../../support/cluster.ts';
import { createMigratedTestDatabase, type TestDatabase } from '../../support/database.ts';

// The shared log of several instances, on real PostgreSQL: positions, catch-up, compaction.

function edit(text: string) {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}
function textOf(updates: Uint8Array[]) {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

describe.skipIf(!clusterTestsEnabled)('the sequenced live log', () => {
  let database: TestDatabase;
  let handles: DbHandle[];

  beforeAll(async () => {
    database = await createMigratedTestDatabase();
    // Two pools: two instances.
    handles = [await createDb(database.config), await createDb(database.config)];
  });
  afterAll(async () => {
    for (const h of handles ?? []) await h.close();
    await database?.drop();
  });

  it('hands out gap-free positions in commit order to concurrent appenders', async () => {
    const [a, b] = handles.map((h) => h.db) as [DbHandle['db'], DbHandle['db']];
    const ranges = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        appendSequencedLiveUpdates(i % 2 ? a : b, 'log:order', [edit(`${i}`), edit(`+${i}`)]),
      ),
    );
    const positions = ranges.flatMap((r) => [r.from, r.to]).sort((x, y) => x - y);
    expect(positions).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const since = await readLiveLogSince(a, 'log:order', 70);
    expect(since).toMatchObject({ head: 80, snapshot: null });
    expect(since.updates).toHaveLength(10);
  });

  it('compacts one document once at a time, only forward, and a lagging reader gets the snapshot', async () => {
    const [a, b] = handles.map((h) => h.db) as [DbHandle['db'], DbHandle['db']];
    for (let i = 0; i < 6; i++) await appendSequencedLiveUpdates(a, 'log:fold', [edit(`e${i};`)]);
    const loaded = await loadSequencedLiveDocument(a, 'log:fold');
    expect(loaded.head).toBe(6);
    const state = (through: number) => {
      const doc = new Y.Doc();
      for (const u of loaded.updates.slice(0, through)) Y.applyUpdate(doc, u);
      return Y.encodeStateAsUpdate(doc);
    };

    // While A folds (its transaction holds the lock), B's attempt skips instead of waiting.
    let bResult: boolean | null = null;
    await a.transaction().execute(async (tx) => {
      expect(await compactSequencedLiveDocument(tx, 'log:fold', state(4), 4)).toBe(true);
      bResult = await b
        .transaction()
        .execute((tx2) => compactSequencedLiveDocument(tx2, 'log:fold', state(5), 5));
    });
    expect(bResult).toBe(false);
    // An instance that is behind never replaces a newer snapshot.
    expect(
      await b
        .transaction()
        .execute((tx) => compactSequencedLiveDocument(tx, 'log:fold', state(2), 2)),
    ).toBe(false);

    // A reader that had applied only row 1 gets the snapshot (rows 1–4) and rows 5–6.
    const since = await readLiveLogSince(b, 'log:fold', 1);
    expect(since.head).toBe(6);
    expect(since.snapshot).not.toBeNull();
    expect(since.updates).toHaveLength(2);
    const all = textOf([since.snapshot!, ...since.updates]);
    for (let i = 0; i < 6; i++) expect(all).toContain(`e${i};`);
  });
});
