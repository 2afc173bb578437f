import { roomDoc } from '@tongxin/shared/live/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestLinkCreated } from '@tongxin/shared/roundtables/guests.schemas';
import type { MyRoomView, RoomPresent, RoomState } from '@tongxin/shared/roundtables/floor.schemas';
import { onRealPostgres } from '../../support/database.ts';
import { TestClient } from '../../support/http.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { meetingWorld, ok, type MeetingWorld } from '../../support/meeting-world.ts';

let t: LiveTestApp;
let w: MeetingWorld;
let rt: string;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await meetingWorld(t.app, 3, '到会与法定人数');
  rt = `/api/roundtables/${w.id}`;
  await t.app.db.updateTable('roundtables').set({ quorum: 2 }).where('id', '=', w.id).execute();
}, 180_000);
afterAll(() => t.close());

const as = (client: TestClient) => ({ cookie: client.cookie!, origin: t.origin });

/** A page with the room open: the document, and a presence state as the web page sets it. */
function openRoom(client: TestClient, userId: string) {
  const page = connect(t.wsUrl, roomDoc(w.id), as(client));
  page.provider.awareness.setLocalState({ watching: true });
  const get = <K extends keyof RoomState>(key: K) =>
    page.doc.getMap('room').get(key) as RoomState[K];
  const people = () => Object.values(page.doc.getMap('present').toJSON() as RoomPresent);
  /** Distinct users whose presence this page sees (others' as stamped by the server). */
  const watchers = () =>
    new Set([
      userId,
      ...[...page.provider.awareness.getStates().values()].flatMap((s) => {
        const id = (s as { user?: { id?: string } }).user?.id;
        return id ? [id] : [];
      }),
    ]);
  return { page, get, people, watchers };
}

describe(`attendance, presence and the quorum (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('opening the room is watching, not being present; guests never count', async () => {
    const [a, b, c] = w.people;
    const pages = [a!, b!, c!].map((p) => openRoom(p.client, p.userId));
    for (const p of [a!, b!, c!]) {
      ok(await p.client.get(rt));
      expect(ok<MyRoomView>(await p.client.get(`${rt}/me`)).present).toBe(false);
    }
    const [first] = pages;
    await waitFor(() => first!.page.provider.synced && first!.get('stage') === 'discuss', 'sync');
    // Who is watching comes from live presence: each page sees the three people.
    await waitFor(() => first!.watchers().size === 3, 'three watching');
    expect(first!.watchers()).toEqual(new Set([a!.userId, b!.userId, c!.userId]));
    // Closing and reopening pages moves nothing.
    pages[2]!.page.provider.destroy();
    await waitFor(() => !first!.watchers().has(c!.userId), 'one left');
    const again = openRoom(c!.client, c!.userId);
    await waitFor(() => first!.watchers().has(c!.userId), 'back again');
    expect(first!.get('present').count).toBe(0);

    // A guest by link who checks in is listed, but never counted toward the quorum.
    const link = ok<GuestLinkCreated>(await w.chair.post(`${rt}/guest-link`, {}), 201);
    const token = new URL(link.path, 'http://x').searchParams.get('token')!;
    const guest = new TestClient(t.app);
    ok(await guest.post(`${rt}/guests`, { token, displayName: '列席律师' }), 201);
    ok(await guest.post(`${rt}/attend`, {}));
    await waitFor(() => first!.get('present').guests === 1, 'guest listed');
    expect(first!.get('present').count).toBe(0);
    expect(first!.people().map((p) => p.part)).toEqual(['guest']);

    // Below the quorum (2) the chair is told, and may go on only by saying so.
    const question = { question: '同意吗', kind: 'yes_no' };
    const refused = await w.chair.post(`/api/topics/${w.topicId}/votes`, question);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'below_quorum',
      message: expect.stringContaining('法定人数 2'),
    });

    // Check-ins: the 我到场了 button and the projector's QR code.
    ok(await a!.client.post(`${rt}/attend`, {}));
    const { checkinCode } = ok<MyRoomView>(await w.chair.get(`${rt}/me`));
    ok(await b!.client.post(`${rt}/attend`, { code: checkinCode! }));
    await waitFor(() => first!.get('present').count === 2, 'two present');
    expect(first!.get('present')).toMatchObject({ inPerson: 1, online: 1, guests: 1 });
    const { id } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/votes`, question),
      201,
    );
    ok(await w.chair.post(`/api/votes/${id}/close`, {}));

    // With one present and the chair's confirmation, a vote opens below the quorum.
    await t.app.db.updateTable('roundtables').set({ quorum: 5 }).where('id', '=', w.id).execute();
    const confirmed = await w.chair.post(`/api/topics/${w.topicId}/votes`, {
      ...question,
      belowQuorum: true,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(201);

    for (const p of [...pages.slice(0, 2), again]) p.page.provider.destroy();
  });
});
