import { minutesDoc, roomDoc } from '@tongxin/shared/live/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState, RoomVote } from '@tongxin/shared/roundtables/floor.schemas';
import { minutesTextKey } from '@tongxin/shared/roundtables/floor.schemas';
import { onRealPostgres } from '../../support/database.ts';
import * as Y from 'yjs';
import {
  connect,
  handledSoFar,
  startLiveApp,
  waitFor,
  type LiveTestApp,
} from '../../support/realtime.ts';
import { meetingWorld, ok, type MeetingWorld } from '../../support/meeting-world.ts';

let t: LiveTestApp;
let w: MeetingWorld;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await meetingWorld(t.app, 2);
}, 60_000);
afterAll(() => t.close());

const as = (client: { cookie: string | null }) => ({ cookie: client.cookie!, origin: t.origin });

/** What the server holds of one topic's minutes. */
async function serverText(key: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await t.app.live.state(minutesDoc(w.id)));
  return doc.getText(key).toString();
}

describe(`the live room and minutes (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('shows presence, the floor and a hidden vote to a y-websocket client, and ignores its writes', async () => {
    const [a, b] = w.people;
    const room = connect(t.wsUrl, roomDoc(w.id), as(a!.client));
    const get = <K extends keyof RoomState>(key: K) =>
      room.doc.getMap('room').get(key) as RoomState[K];
    await waitFor(() => room.provider.synced && get('stage') === 'discuss', 'room synced');
    expect(get('agenda').map((topic) => topic.id)).toEqual([w.topicId]);

    ok(await a!.client.post(`/api/roundtables/${w.id}/attend`, {}));
    await waitFor(() => get('present').count === 1, 'presence shows');
    ok(await b!.client.post(`/api/roundtables/${w.id}/hand`, { raised: true }));
    await waitFor(() => get('queue').length === 1, 'hand shows');
    ok(await w.chair.post(`/api/roundtables/${w.id}/floor`, { userId: b!.userId }));
    await waitFor(() => get('speaker')?.userId === b!.userId && get('queue').length === 0, 'floor');

    const { id } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/votes`, {
        question: '同意吗',
        kind: 'yes_no',
        hiddenTally: true,
      }),
      201,
    );
    ok(await a!.client.post(`/api/votes/${id}/ballots`, { choice: 'support' }), 201);
    await waitFor(() => get('vote')?.counted === 1, 'counted');
    expect(get('vote')).toMatchObject<Partial<RoomVote>>({ open: true, hidden: true, tally: null });
    ok(await w.chair.post(`/api/votes/${id}/close`, {}));
    await waitFor(() => get('vote')?.open === false, 'closed');
    expect(get('vote')?.tally).toEqual({ support: 1, oppose: 0, abstain: 0 });

    // A resident's own write to the room goes nowhere: a fresh client sees the server's.
    room.doc.getMap('room').set('stage', 'closed');
    const fresh = connect(t.wsUrl, roomDoc(w.id), as(b!.client));
    await waitFor(
      () => fresh.provider.synced && fresh.doc.getMap('room').get('stage') !== undefined,
      'fresh',
    );
    await handledSoFar(t.app, room, fresh);
    const server = new Y.Doc();
    Y.applyUpdate(server, await t.app.live.state(roomDoc(w.id)));
    expect(server.getMap('room').get('stage')).toBe('discuss');
    expect(fresh.doc.getMap('room').get('stage')).toBe('discuss');
    room.provider.destroy();
    fresh.provider.destroy();
  });

  it('lets the chair write the minutes, residents only once the chair opens them', async () => {
    const [a] = w.people;
    const key = minutesTextKey(w.topicId);
    const chair = connect(t.wsUrl, minutesDoc(w.id), as(w.chair));
    const resident = connect(t.wsUrl, minutesDoc(w.id), as(a!.client));
    await waitFor(() => chair.provider.synced && resident.provider.synced, 'minutes synced');
    chair.doc.getText(key).insert(0, '主持人：先听居民意见。');
    await waitFor(() => resident.doc.getText(key).toString().includes('先听'), 'chair → resident');

    resident.doc.getText(key).insert(0, '居民偷偷改：');
    await handledSoFar(t.app, resident, chair);
    expect(await serverText(key)).not.toContain('偷偷');
    expect(chair.doc.getText(key).toString()).not.toContain('偷偷');

    // Opening the minutes re-judges the resident's socket; it reconnects with write access.
    const closed: number[] = [];
    resident.provider.on('connection-close', (event) => closed.push(event?.code ?? 0));
    ok(await w.chair.post(`/api/roundtables/${w.id}/settings`, { openMinutes: true }));
    const before = resident.doc.getText(key).toString().length;
    await waitFor(() => closed.length > 0, 'the read-only socket closes');
    expect(closed).toEqual([4000]);
    await waitFor(() => resident.provider.wsconnected && resident.provider.synced, 'reconnected');
    resident.doc.getText(key).insert(before, '\n居民补充：晚上九点后车最多。');
    await waitFor(() => chair.doc.getText(key).toString().includes('九点后'), 'resident → chair');
    chair.provider.destroy();
    resident.provider.destroy();
  });
});
