import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeView } from '@tongxin/shared/auth.schemas';
import {
  MAX_GUESTS_PER_ROUNDTABLE,
  type GuestLinkCreated,
  type GuestLinkStatus,
} from '@tongxin/shared/roundtables/guests.schemas';
import type { MyRoomView, RoomState } from '@tongxin/shared/roundtables/floor.schemas';
import type {
  RoundtableSummary,
  RoundtableView,
} from '@tongxin/shared/roundtables/roundtable.schemas';
import { onRealPostgres } from '../../support/database.ts';
import { TestClient } from '../../support/http.ts';
import {
  connect,
  rawSocket,
  startLiveApp,
  waitFor,
  type LiveTestApp,
} from '../../support/realtime.ts';
import { meetingWorld, ok, type MeetingWorld } from '../../support/meeting-world.ts';

let t: LiveTestApp;
let w: MeetingWorld;
let rt: string;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await meetingWorld(t.app, 2, '访客旁听');
  rt = `/api/roundtables/${w.id}`;
}, 60_000);
afterAll(() => t.close());

const tokenOf = (link: GuestLinkCreated) =>
  new URL(link.path, 'http://x').searchParams.get('token')!;

async function newLink(): Promise<string> {
  const link = ok<GuestLinkCreated>(await w.chair.post(`${rt}/guest-link`, {}), 201);
  expect(link.path).toMatch(new RegExp(`^/roundtables/${w.id}/guest\\?token=[A-Za-z0-9_-]{32}$`));
  return tokenOf(link);
}

async function join(token: string, displayName = '张律师', id = w.id) {
  const client = new TestClient(t.app);
  const res = await client.post(`/api/roundtables/${id}/guests`, { token, displayName });
  return { client, res };
}

async function joinOk(token: string, displayName = '张律师') {
  const { client, res } = await join(token, displayName);
  const me = ok<MeView>(res, 201);
  expect(client.cookie).toMatch(/tongxin_session=/);
  return { client, userId: me.id, me };
}

const myRoom = async (c: TestClient) => ok<MyRoomView>(await c.get(`${rt}/me`));

describe(`guests by invite link (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('lets the chair make a link whose token is stored only as a hash', async () => {
    expect(ok<GuestLinkStatus>(await w.chair.get(`${rt}/guest-link`)).active).toBe(false);
    const token = await newLink();
    const status = ok<GuestLinkStatus>(await w.chair.get(`${rt}/guest-link`));
    expect(status.active).toBe(true);
    const row = await t.app.db
      .selectFrom('roundtableGuestLinks')
      .selectAll()
      .where('roundtableId', '=', w.id)
      .executeTakeFirstOrThrow();
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(token);
    const audit = await t.app.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', w.id)
      .where('action', '=', 'roundtable.guest_link')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('refuses a wrong token, a token for another table, and a blank name', async () => {
    const token = await newLink();
    const wrong = await join('x'.repeat(32));
    expect(wrong.res.statusCode, wrong.res.body).toBe(403);
    expect(wrong.res.json().error.code).toBe('guest_link_invalid');
    expect(wrong.res.json().error.message.length).toBeGreaterThan(3);
    expect(wrong.client.cookie).toBeNull();
    const elsewhere = await join(token, '张律师', '00000000-0000-4000-8000-000000000000');
    expect(elsewhere.res.statusCode).toBe(403);
    const blank = await join(token, '   ');
    expect(blank.res.statusCode).toBe(400);
    expect(blank.res.json().error).toMatchObject({
      code: 'guest_name_missing',
      field: 'displayName',
    });
    expect((await join(token, '名'.repeat(41))).res.statusCode).toBe(400);
  });

  it(`admits at most ${MAX_GUESTS_PER_ROUNDTABLE} guests to one roundtable`, async () => {
    const full = await meetingWorld(t.app, 1, '访客名额');
    const link = `/api/roundtables/${full.id}/guest-link`;
    const token = tokenOf(ok<GuestLinkCreated>(await full.chair.post(link, {}), 201));
    // All but one place taken directly in the database; the last one goes through the API.
    const earlier = await t.app.db
      .insertInto('users')
      .values(
        Array.from({ length: MAX_GUESTS_PER_ROUNDTABLE - 1 }, (_, i) => ({
          username: `cap-${full.id.slice(0, 8)}-${i}`,
          displayName: `访客${i}`,
          phone: null,
          passwordHash: '!',
          kind: 'guest' as const,
        })),
      )
      .returning('id')
      .execute();
    await t.app.db
      .insertInto('roundtableGuests')
      .values(earlier.map((u) => ({ roundtableId: full.id, userId: u.id })))
      .execute();
    expect((await join(token, '最后一位', full.id)).res.statusCode).toBe(201);
    const refused = await join(token, '多一位', full.id);
    expect(refused.res.statusCode).toBe(409);
    expect(refused.res.json().error).toMatchObject({
      code: 'guests_full',
      params: { max: MAX_GUESTS_PER_ROUNDTABLE },
    });
    expect(refused.res.json().error.message).toMatch(/访客名额（100 位）已满/);
    expect(refused.client.cookie).toBeNull();
    const rows = await t.app.db
      .selectFrom('roundtableGuests')
      .select('userId')
      .where('roundtableId', '=', full.id)
      .execute();
    expect(rows).toHaveLength(MAX_GUESTS_PER_ROUNDTABLE);
  });

  it('tells someone already signed in to just open the room', async () => {
    const token = await newLink();
    const res = await w.people[0]!.client.post(`${rt}/guests`, { token, displayName: '居民' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('already_signed_in');
    expect(res.json().error.message).toMatch(/已经登录/);
  });

  it('lets a guest watch and attend, but not vote, co-sign, raise or propose', async () => {
    const { client: guest, userId, me } = await joinOk(await newLink(), '  张律师 ');
    expect(me.displayName).toBe('张律师');
    expect(me.roles).toEqual([]);
    const view = ok<RoundtableView>(await guest.get(rt));
    expect(view.myPart).toBe('guest');
    expect((await myRoom(guest)).part).toBe('guest');

    ok(await guest.post(`${rt}/attend`, {}));
    const present = await t.app.db
      .selectFrom('attendance')
      .select(['part', 'name'])
      .where('roundtableId', '=', w.id)
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow();
    expect(present).toEqual({ part: 'guest', name: '张律师' });

    ok(await w.chair.post(`${rt}/current-topic`, { topicId: w.topicId }));
    const { id: voteId } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/votes`, { question: '同意吗', kind: 'yes_no' }),
      201,
    );
    expect(
      (await guest.post(`/api/votes/${voteId}/ballots`, { choice: 'support' })).statusCode,
    ).toBe(403);
    ok(await w.chair.post(`/api/votes/${voteId}/close`, {}));
    expect((await guest.post(`/api/topics/${w.topicId}/cosign`, {})).statusCode).toBe(403);
    const raised = await guest.post(`${rt}/topics`, { title: '我也有事', category: 'other' });
    expect(raised.statusCode).toBe(403);
    const proposal = await guest.post(`/api/topics/${w.topicId}/proposals`, { text: '建议' });
    expect(proposal.statusCode).toBe(403);
    // Chair-only commands stay chair-only.
    expect((await guest.post(`${rt}/guest-link`, {})).statusCode).toBe(403);
    expect((await guest.post(`${rt}/floor`, { userId })).statusCode).toBe(403);
  });

  it('refuses a raised hand until the chair allows it, and taking it back lowers the hand', async () => {
    const { client: guest, userId } = await joinOk(await newLink(), '王工程师');
    const hand = (raised: boolean) => guest.post(`${rt}/hand`, { raised });
    expect((await hand(true)).statusCode).toBe(403);

    ok(await w.chair.post(`${rt}/guests/${userId}/speak`, { allowed: true }));
    ok(await hand(true));
    expect((await myRoom(guest)).handRaised).toBe(true);

    ok(await w.chair.post(`${rt}/guests/${userId}/speak`, { allowed: false }));
    expect((await myRoom(guest)).handRaised).toBe(false);
    expect((await hand(true)).statusCode).toBe(403);

    // Taken back while holding the floor: the turn ends there.
    ok(await w.chair.post(`${rt}/guests/${userId}/speak`, { allowed: true }));
    ok(await hand(true));
    ok(await w.chair.post(`${rt}/floor`, { userId }));
    const speaking = () =>
      t.app.db
        .selectFrom('speakingTurns')
        .select('status')
        .where('roundtableId', '=', w.id)
        .where('userId', '=', userId)
        .where('status', 'in', ['waiting', 'speaking'])
        .execute();
    expect(await speaking()).toEqual([{ status: 'speaking' }]);
    ok(await w.chair.post(`${rt}/guests/${userId}/speak`, { allowed: false }));
    expect(await speaking()).toEqual([]);

    const audit = await t.app.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', w.id)
      .where('action', 'in', ['roundtable.guest_allow_speak', 'roundtable.guest_revoke_speak'])
      .execute();
    expect(audit).toHaveLength(4);
    // Nobody who is not this table's guest can be "allowed".
    const notGuest = await w.chair.post(`${rt}/guests/${w.people[0]!.userId}/speak`, {
      allowed: true,
    });
    expect(notGuest.statusCode).toBe(404);
    expect(notGuest.json().error.code).toBe('not_a_guest');
  });

  it('keeps links and leave to speak for the chair', async () => {
    await newLink();
    const { userId } = await joinOk(await newLink(), '李老师');
    const resident = w.people[1]!.client;
    expect((await resident.post(`${rt}/guest-link`, {})).statusCode).toBe(403);
    expect((await resident.request('DELETE', `${rt}/guest-link`, {})).statusCode).toBe(403);
    expect((await resident.get(`${rt}/guest-link`)).statusCode).toBe(403);
    const speak = await resident.post(`${rt}/guests/${userId}/speak`, { allowed: true });
    expect(speak.statusCode).toBe(403);
    const row = await t.app.db
      .selectFrom('roundtableGuests')
      .select('maySpeak')
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow();
    expect(row.maySpeak).toBe(false);
  });

  it('refuses a rotated or revoked token, and admits nobody once the meeting is closed', async () => {
    const old = await newLink();
    const current = await newLink();
    expect((await join(old)).res.statusCode).toBe(403);
    await joinOk(current, '新来的');

    ok(await w.chair.request('DELETE', `${rt}/guest-link`, {}));
    expect(ok<GuestLinkStatus>(await w.chair.get(`${rt}/guest-link`)).active).toBe(false);
    expect((await join(current)).res.statusCode).toBe(403);

    const closed = await meetingWorld(t.app, 1, '已闭幕');
    const link = ok<GuestLinkCreated>(
      await closed.chair.post(`/api/roundtables/${closed.id}/guest-link`, {}),
      201,
    );
    await t.app.db
      .updateTable('roundtables')
      .set({ stage: 'closed' })
      .where('id', '=', closed.id)
      .execute();
    const late = await join(tokenOf(link), '迟到的', closed.id);
    expect(late.res.statusCode, late.res.body).toBe(409);
    expect(late.client.cookie).toBeNull();
  });

  it('never lets a guest log in by password, hold a role, or act elsewhere', async () => {
    const { client: guest, userId } = await joinOk(await newLink(), '访客甲');
    const user = await t.app.db
      .selectFrom('users')
      .select(['username', 'passwordHash', 'kind'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(user.kind).toBe('guest');
    expect(user.username).toMatch(/^guest-[0-9a-f]{24}$/);
    for (const password of ['!', 'tongxin-demo']) {
      const login = await new TestClient(t.app).login(user.username, password);
      expect(login.statusCode).toBe(401);
    }

    await expect(
      t.app.db
        .insertInto('roleAssignments')
        .values({ userId, role: 'resident', placeId: w.community, unitId: null })
        .execute(),
    ).rejects.toThrow();
    const invitation = await guest.post('/api/invitations/accept', { code: 'ABCDEFGH12' });
    expect(invitation.statusCode).toBe(403);

    // Every other roundtable is, to a guest account, not there: over HTTP and live.
    const other = await meetingWorld(t.app, 1, '另一场');
    expect((await guest.get(`/api/roundtables/${other.id}`)).statusCode).toBe(404);
    expect((await guest.post(`/api/roundtables/${other.id}/attend`, {})).statusCode).toBe(404);
    for (const doc of [`roundtable:${other.id}`, `roundtable-minutes:${other.id}`]) {
      const raw = rawSocket(t.wsUrl, doc, { cookie: guest.cookie!, origin: t.origin });
      expect(await Promise.race([raw.closed, raw.refused])).toBe(4403);
    }
    const own = rawSocket(t.wsUrl, `roundtable:${w.id}`, {
      cookie: guest.cookie!,
      origin: t.origin,
    });
    await own.opened;
    own.socket.close();
  });

  it('shows guests and their leave to speak in the live room the chair watches', async () => {
    const chairRoom = connect(t.wsUrl, `roundtable:${w.id}`, {
      cookie: w.chair.cookie!,
      origin: t.origin,
    });
    const guests = () =>
      (chairRoom.doc.getMap('room').get('guests') as RoomState['guests'] | undefined) ?? [];
    try {
      await waitFor(() => chairRoom.provider.synced && guests().length > 0, 'room synced');
      const { client: guest, userId } = await joinOk(await newLink(), '直播访客');
      await waitFor(() => guests().some((g) => g.userId === userId), 'guest shows');
      ok(await w.chair.post(`${rt}/guests/${userId}/speak`, { allowed: true }));
      await waitFor(
        () => guests().find((g) => g.userId === userId)?.maySpeak === true,
        'may speak shows',
      );

      // The guest's own session opens the room over y-websocket too.
      const guestRoom = connect(t.wsUrl, `roundtable:${w.id}`, {
        cookie: guest.cookie!,
        origin: t.origin,
      });
      try {
        await waitFor(
          () =>
            guestRoom.provider.synced && guestRoom.doc.getMap('room').get('stage') === 'discuss',
          'guest synced',
        );
      } finally {
        guestRoom.provider.destroy();
      }
    } finally {
      chairRoom.provider.destroy();
    }
  });

  it("lists the guest's own meeting, so leaving the room does not land on an empty list", async () => {
    const { client } = await joinOk(await newLink(), '列表访客');
    const listed = ok<RoundtableSummary[]>(await client.get('/api/roundtables'));
    expect(listed.map((r) => r.id)).toEqual([w.id]);
  });
});
