import { roomDoc } from '@tongxin/shared/live/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyRoomView, RoomState } from '@tongxin/shared/roundtables/floor.schemas';
import type { ResultView } from '@tongxin/shared/roundtables/result.schemas';
import { onRealPostgres } from '../../support/database.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { meetingWorld, ok, type MeetingWorld } from '../../support/meeting-world.ts';

let t: LiveTestApp;
let w: MeetingWorld;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await meetingWorld(t.app, 3);
}, 180_000);
afterAll(() => t.close());

const as = (client: { cookie: string | null }) => ({ cookie: client.cookie!, origin: t.origin });

describe(`two votes in a row (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('counts both, and my ballot is per vote: the first says nothing about the second', async () => {
    const [a, b, c] = w.people;
    const rt = `/api/roundtables/${w.id}`;
    const room = connect(t.wsUrl, roomDoc(w.id), as(c!.client));
    const get = <K extends keyof RoomState>(key: K) =>
      room.doc.getMap('room').get(key) as RoomState[K];
    await waitFor(() => room.provider.synced && get('stage') === 'discuss', 'room synced');

    const voteIds: string[] = [];
    for (const [n, question] of ['先表决原则', '再表决方案'].entries()) {
      const { id } = ok<{ id: string }>(
        await w.chair.post(`/api/topics/${w.topicId}/votes`, { question, kind: 'yes_no' }),
        201,
      );
      voteIds.push(id);
      await waitFor(() => get('vote')?.id === id && get('vote')?.open === true, `vote ${n} shown`);
      expect(get('vote')?.counted).toBe(0);

      // Before voting in this vote, nobody has a ballot in it, whatever they chose before.
      const before = ok<MyRoomView>(await a!.client.get(`${rt}/me`));
      expect(before.myBallots[id]).toBeUndefined();

      ok(await a!.client.post(`/api/votes/${id}/ballots`, { choice: 'support' }), 201);
      ok(await b!.client.post(`/api/votes/${id}/ballots`, { choice: 'oppose' }), 201);
      await waitFor(() => get('vote')?.counted === 2, `vote ${n} counted live`);
      const after = ok<MyRoomView>(await a!.client.get(`${rt}/me`));
      expect(after.myBallots[id]).toBe('support');

      const closed = ok<{ counted: number }>(await w.chair.post(`/api/votes/${id}/close`, {}));
      expect(closed.counted).toBe(2);
      await waitFor(() => get('vote')?.open === false, `vote ${n} closed live`);
      expect(get('vote')?.tally).toEqual({ support: 1, oppose: 1, abstain: 0 });
    }
    const mine = ok<MyRoomView>(await a!.client.get(`${rt}/me`));
    expect(mine.myBallots).toEqual({ [voteIds[0]!]: 'support', [voteIds[1]!]: 'support' });

    // The draft 公示 records both votes with their counts.
    const result = ok<ResultView>(await w.chair.get(`${rt}/result`));
    const votes = result.topics.find((topic) => topic.id === w.topicId)!.votes;
    expect(votes.map((v) => [v.question, v.counted])).toEqual([
      ['先表决原则', 2],
      ['再表决方案', 2],
    ]);
    room.provider.destroy();
  });
});
