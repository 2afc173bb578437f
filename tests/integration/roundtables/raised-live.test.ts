import { roomDoc } from '@tongxin/shared/live/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '@tongxin/shared/roundtables/floor.schemas';
import { onRealPostgres } from '../../support/database.ts';
import type { TestClient } from '../../support/http.ts';
import { residents, signedIn } from '../../support/people.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { communityId, ok, userIdOf } from '../../support/meeting-world.ts';

let t: LiveTestApp;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
}, 180_000);
afterAll(() => t.close());

const as = (client: TestClient) => ({ cookie: client.cookie!, origin: t.origin });

describe(`提事 is live (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('carries raised topics and co-signs to every screen, and flags those raised in 议事', async () => {
    const community = await communityId(t.app);
    const chair = await signedIn(t.app, await userIdOf(t.app, 'secretary'));
    const [raiser, neighbour, watcher] = await residents(t.app, community, 3, '提事人');
    const { id } = ok<{ id: string }>(
      await chair.post('/api/roundtables', {
        placeId: community,
        title: '提事要实时',
        localName: '楼道恳谈会',
        location: '活动室',
        startsAt: new Date().toISOString(),
      }),
      201,
    );
    // The chair's console and a resident's phone, both open before anything is raised.
    const sockets = [chair, watcher!.client].map((c) => connect(t.wsUrl, roomDoc(id), as(c)));
    const screens = sockets.map(
      (s) =>
        <K extends keyof RoomState>(key: K) =>
          s.doc.getMap('room').get(key) as RoomState[K],
    );
    for (const get of screens) await waitFor(() => get('stage') === 'raise', 'synced');
    for (const get of screens) expect(get('raised')).toEqual([]);

    const raise = async (title: string) =>
      ok<{ id: string }>(
        await raiser!.client.post(`/api/roundtables/${id}/topics`, { title, category: 'other' }),
        201,
      ).id;
    const before = await raise('楼道灯坏了');
    for (const get of screens)
      await waitFor(() => get('raised').some((x) => x.id === before), 'raised shows live');
    expect(screens[0]!('raised')[0]).toMatchObject({
      title: '楼道灯坏了',
      cosigns: 0,
      duringDiscuss: false,
    });
    ok(await neighbour!.client.post(`/api/topics/${before}/cosign`, {}));
    for (const get of screens)
      await waitFor(() => get('raised')[0]?.cosigns === 1, 'co-sign shows live');

    ok(await chair.post(`/api/topics/${before}/screen`, { decision: 'accept' }));
    for (const get of screens)
      await waitFor(
        () => get('raised').length === 0 && get('agenda').some((x) => x.id === before),
        'accepted moves to the agenda',
      );
    ok(await chair.post(`/api/roundtables/${id}/advance`, { from: 'raise' }));

    // Raised during 议事: the console is told.
    const during = await raise('会上又想到：垃圾桶太少');
    for (const get of screens)
      await waitFor(() => get('raised').some((x) => x.id === during), 'raised in 议事 shows');
    expect(screens[0]!('raised')).toEqual([
      expect.objectContaining({ id: during, duringDiscuss: true, cosigns: 0 }),
    ]);
    for (const s of sockets) s.provider.destroy();
  });
});
