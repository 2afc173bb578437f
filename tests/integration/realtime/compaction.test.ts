import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendLiveUpdates,
  compactLiveDocument,
  loadLiveDocument,
} from '@tongxin/db/live/live-documents.queries';
import { onRealPostgres } from '../../support/database.ts';
import {
  connect,
  signUp,
  startLiveApp,
  waitFor,
  type LiveTestApp,
} from '../../support/realtime.ts';

// Both need a second connection holding a lock while the server works, which the embedded
// database (one connection) cannot have.
const postgres = describe.skipIf(!onRealPostgres());

let live: LiveTestApp;

/** Sessions of Postgres waiting for a lock, running a statement that mentions `table`. */
async function waitingOn(table: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*)::text as n from pg_stat_activity
    where wait_event_type = 'Lock' and query ilike ${`%${table}%`}`.execute(live.app.db);
  return Number(rows[0]?.n ?? 0);
}

postgres('compaction beside the write path (Postgres)', () => {
  beforeAll(async () => {
    live = await startLiveApp({ realtime: { compactAfterUpdates: 5 } });
  });
  afterAll(async () => {
    await live.close();
  });

  it('keeps relaying edits while a snapshot cannot be written, and stores them all after', async () => {
    const cookie = await signUp(live.app, 'compact-writer');
    const a = connect(live.wsUrl, 'test:compacting', { cookie, origin: live.origin });
    const b = connect(live.wsUrl, 'test:compacting', { cookie, origin: live.origin });
    await waitFor(() => a.provider.synced && b.provider.synced, 'sync');

    // Another session holds the snapshot table: the compaction due after 5 rows must wait.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = live.app.db.transaction().execute(async (tx) => {
      await sql`lock table live_document_snapshots in share mode`.execute(tx);
      locked();
      await released;
    });
    await isLocked;

    try {
      for (let i = 0; i < 20; i++) {
        a.text.insert(a.text.length, `e${i};`);
        // Each edit reaches the other client although a compaction is stuck behind the lock.
        await waitFor(() => b.text.toString().includes(`e${i};`), `edit ${i} relayed`, 5_000);
      }
      expect(await waitingOn('live_document_snapshots')).toBe(1);
    } finally {
      release();
      await holder;
    }
    await waitFor(async () => {
      const stored = await loadLiveDocument(live.app.db, 'test:compacting');
      return stored.snapshot !== null;
    }, 'snapshot written');
    await live.app.live.flush();
    const stored = await loadLiveDocument(live.app.db, 'test:compacting');
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    expect(doc.getText('t').toString()).toBe(a.text.toString());
    // Rows appended while the snapshot was stuck were not folded into it: they stay logged.
    expect(stored.updates.length).toBeGreaterThan(0);
    a.provider.destroy();
    b.provider.destroy();
  });

  it('loads snapshot and log as of one moment while a compaction commits between its reads', async () => {
    const db = live.app.db;
    const name = 'test:load-during-compaction';
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 10; i++) source.getText('t').insert(0, `u${i};`);
    const throughSeq = await appendLiveUpdates(db, name, updates);

    // The compaction writes the snapshot and empties the log, then locks the log table so
    // the load's second read waits, and commits while it waits.
    let committed = false;
    let lockedLog = () => {};
    const logLocked = new Promise<void>((resolve) => (lockedLog = resolve));
    let finish = () => {};
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    const compaction = db.transaction().execute(async (tx) => {
      await compactLiveDocument(tx, name, Y.encodeStateAsUpdate(source), throughSeq);
      await sql`lock table live_document_updates in access exclusive mode`.execute(tx);
      lockedLog();
      await finishing;
      committed = true;
    });
    await logLocked;
    const loading = loadLiveDocument(db, name);
    await waitFor(async () => (await waitingOn('live_document_updates')) === 1, 'load waits');
    finish();
    await compaction;
    expect(committed).toBe(true);

    const stored = await loading;
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    expect(doc.getText('t').toString()).toBe(source.getText('t').toString());
  });
});
