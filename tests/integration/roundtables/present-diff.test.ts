import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import { roomDoc } from '@tongxin/shared/live/documents';
import type { RoomPresent, RoomState } from '@tongxin/shared/roundtables/floor.schemas';
import { onRealPostgres } from '../../support/database.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { meetingWorld, ok, type MeetingWorld } from '../../support/meeting-world.ts';

let t: LiveTestApp;
let w: MeetingWorld;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await meetingWorld(t.app, 2, '三百人的会');
}, 120_000);
afterAll(() => t.close());

/** `n` residents without a phone, marked by the chair earlier, one second apart. */
async function markedEarlier(n: number, from: number) {
  await t.app.db
    .insertInto('attendance')
    .values(
      Array.from({ length: n }, (_, i) => ({
        roundtableId: w.id,
        userId: null,
        name: `到会${from + i}`,
        part: 'participant' as const,
        how: 'hand' as const,
        createdAt: new Date(Date.UTC(2026, 0, 1) + (from + i) * 1000),
      })),
    )
    .execute();
}

/** A y-websocket client on the room that counts the bytes of the sync frames it receives. */
function watchRoom() {
  const a = w.people[0]!.client;
  const page = connect(t.wsUrl, roomDoc(w.id), { cookie: a.cookie!, origin: t.origin });
  let syncBytes = 0;
  const counting = () => {
    (page.provider.ws as unknown as WebSocket).addEventListener('message', (event) => {
      const frame = new Uint8Array(event.data as ArrayBuffer);
      // Sync frames (type 0) carry document updates; awareness (type 1) is not the room.
      if (decoding.readVarUint(decoding.createDecoder(frame)) === 0) syncBytes += frame.length;
    });
  };
  const present = () => page.doc.getMap('present').toJSON() as RoomPresent;
  const counts = () => page.doc.getMap('room').get('present') as RoomState['present'] | undefined;
  return {
    page,
    present,
    counts,
    /** Bytes received since the last call. */
    take: () => {
      const bytes = syncBytes;
      syncBytes = 0;
      return bytes;
    },
    counting,
  };
}

describe(`check-ins reach the room as diffs (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('sends one arrival in under 1 KB with 300 present, and counts past the names shown', async () => {
    await markedEarlier(300, 0);
    const room = watchRoom();
    await waitFor(
      () => room.page.provider.synced && Object.keys(room.present()).length === 300,
      'the 300 names',
    );
    expect(room.counts()?.count).toBe(300);
    // What the old room resent on every arrival: the whole list, one JSON value.
    expect(JSON.stringify(Object.values(room.present())).length).toBeGreaterThan(20_000);
    room.counting();

    const [newcomer] = w.people;
    ok(await newcomer!.client.post(`/api/roundtables/${w.id}/attend`, {}));
    const listed = () => Object.values(room.present()).find((p) => p.userId === newcomer!.userId);
    await waitFor(() => listed() !== undefined && room.counts()?.count === 301, 'newcomer listed');
    expect(listed()).toMatchObject({ how: 'app', part: 'participant' });
    expect(room.counts()).toMatchObject({ count: 301, online: 1, byHand: 300 });
    const arrival = room.take();
    expect(arrival).toBeGreaterThan(0);
    expect(arrival).toBeLessThan(1024);

    // Up to the names shown (500): 198 more behind the server's back, published with the
    // chair's next mark (so that update carries 199 names and is not measured).
    await markedEarlier(198, 300);
    ok(await w.chair.post(`/api/roundtables/${w.id}/present`, { name: '第五百位' }), 201);
    await waitFor(() => Object.keys(room.present()).length === 500, '500 listed');
    room.take();
    // Past them, an arrival is counted exactly, lists nobody new and is still small.
    const [, late] = w.people;
    ok(await late!.client.post(`/api/roundtables/${w.id}/attend`, {}));
    await waitFor(() => room.counts()?.count === 501, 'the 501st counted');
    expect(Object.keys(room.present())).toHaveLength(500);
    expect(Object.values(room.present()).some((p) => p.userId === late!.userId)).toBe(false);
    const pastShown = room.take();
    expect(pastShown).toBeGreaterThan(0);
    expect(pastShown).toBeLessThan(1024);

    // A fresh client gets the same room: every entry written as a diff adds up.
    const fresh = watchRoom();
    await waitFor(
      () => fresh.page.provider.synced && fresh.counts()?.count === 501,
      'fresh client synced',
    );
    expect(fresh.present()).toEqual(room.present());
    room.page.provider.destroy();
    fresh.page.provider.destroy();
  });
});
