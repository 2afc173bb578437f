import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomDoc } from '@tongxin/shared/live/documents';
import type { RoomState } from '@tongxin/shared/roundtables/floor.schemas';
import { onRealPostgres } from '../../support/database.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { meetingWorld, ok, type MeetingWorld } from '../../support/meeting-world.ts';

// The crowd's pool is three connections; two more are the chair's alone.
const POOL = 3;

let t: LiveTestApp;
let w: MeetingWorld;

function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

// On the embedded database there is one connection: nothing passes a held transaction, and
// tests/integration/foundation/lanes.test.ts shows the chair is handed it first.
describe.skipIf(!onRealPostgres())('the chair passes a crowd (real Postgres)', () => {
  beforeAll(async () => {
    t = await startLiveApp({
      demo: true,
      rateLimit: { user: 100_000, anonymous: 100_000 },
      database: { poolSize: POOL, reservedConnections: 2 },
    });
    w = await meetingWorld(t.app, 40);
  }, 180_000);
  afterAll(() => t?.close());

  it('opens a vote while every general connection is held and forty residents queue', async () => {
    const openVote = (question: string) =>
      w.chair.post(`/api/topics/${w.topicId}/votes`, { question, kind: 'yes_no' });
    // The chair's first command of the session marks it: its session checks take the lane too.
    const first = ok<{ id: string }>(await openVote('先表决原则'), 201);
    ok(await w.chair.post(`/api/votes/${first.id}/close`, {}));
    // The projector shows the room: the chair's command rebuilds it before answering.
    const room = connect(t.wsUrl, roomDoc(w.id), { cookie: w.chair.cookie!, origin: t.origin });
    const vote = () => room.doc.getMap('room').get('vote') as RoomState['vote'];
    await waitFor(() => room.provider.synced && vote()?.id === first.id, 'room synced');

    // Every connection the general lane may hold is in a transaction that waits for us.
    const release = latch();
    const holders = Array.from({ length: POOL }, () => {
      const held = latch();
      const done = t.app.db.transaction().execute(async (tx) => {
        await sql`select 1`.execute(tx);
        held.open();
        await release.opened;
      });
      return { held: held.opened, done };
    });
    await Promise.all(holders.map((h) => h.held));

    // Forty phones read their view of the room: each waits for a general connection.
    let answered = 0;
    const crowd = w.people.map(({ client }) =>
      client.get(`/api/roundtables/${w.id}/me`).then((res) => {
        answered++;
        return res;
      }),
    );

    let second: { id: string };
    try {
      // The chair's open-vote goes through (session, roles, transaction, audit, the room).
      second = ok<{ id: string }>(await openVote('再表决方案'), 201);
      expect(answered).toBe(0);
      // …and the room it republished before answering reaches the projector.
      await waitFor(() => vote()?.id === second.id && vote()?.open === true, 'new vote shown');
      expect(answered).toBe(0);
    } finally {
      release.open();
      await Promise.all(holders.map((h) => h.done));
    }
    for (const res of await Promise.all(crowd)) expect(res.statusCode, res.body).toBe(200);
    expect(answered).toBe(w.people.length);
    const row = await t.app.db
      .selectFrom('votes')
      .select('status')
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
    room.provider.destroy();
  }, 120_000);
});
