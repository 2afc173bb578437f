import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbox } from '@tongxin/shared/notifications/notifications';
import type {
  ActivityView,
  MyPoints,
  Roster,
  RosterEntry,
  ServiceDayView,
  SignupResult,
  Stars,
  TeamDetail,
} from '@tongxin/shared/teams/teams.schemas';
import { sendDueReminders } from '../../../server/src/teams/reminders.ts';
import { generateAllServiceDays } from '@tongxin/db/teams/service-days.queries';
import { chinaParts } from '@tongxin/shared/time/china';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { TestClient } from '../../support/http.ts';
import { residents } from '../../support/people.ts';
import { codeOf, newActivity, teamsWorld, type TeamsWorld } from './setup.ts';

let t: TestApp;
let w: TeamsWorld;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await teamsWorld(t.app);
}, 60_000);
afterAll(() => t.close());

const people = (n: number, name?: string) => residents(t.app, w.community, n, name);
const one = async (name?: string) => (await people(1, name))[0]!;
const inbox = async (c: TestClient) => (await c.get('/api/me/notifications')).json<Inbox>();
const moveStart = (activityId: string, minutesFromNow: number, lengthMinutes = 120) =>
  t.app.db
    .updateTable('activities')
    .set({
      startsAt: new Date(Date.now() + minutesFromNow * 60_000),
      endsAt: new Date(Date.now() + (minutesFromNow + lengthMinutes) * 60_000),
    })
    .where('id', '=', activityId)
    .execute();

describe(`teams and sign-ups (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('a resident joins an open team at once; an approval team asks its leader, who approves', async () => {
    const { client: a } = await one();
    const joined = await a.post(`/api/teams/${w.teamId}/join`);
    expect(joined.statusCode, joined.body).toBe(200);
    expect(joined.json<TeamDetail>().team.me).toBe('member');
    expect(codeOf(await a.post(`/api/teams/${w.teamId}/join`))).toBe('already_in_team');

    const strict = await teamsWorld(t.app, 'approval');
    const { client: b, userId } = await one();
    const asked = await b.post(`/api/teams/${strict.teamId}/join`);
    expect(asked.json<TeamDetail>().team.me).toBe('pending');
    const leaderInbox = await inbox(strict.leader);
    expect(leaderInbox.items[0]!.kind).toBe('team_join_requested');
    // Another resident cannot approve.
    expect((await a.post(`/api/teams/${strict.teamId}/members/${userId}/approve`)).statusCode).toBe(
      403,
    );
    const ok = await strict.leader.post(`/api/teams/${strict.teamId}/members/${userId}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await inbox(b!)).items[0]!.kind).toBe('team_join_approved');
    const again = await strict.leader.post(`/api/teams/${strict.teamId}/members/${userId}/approve`);
    expect(again.statusCode).toBe(409);
  });

  it('only the secretary sets up teams; a custom kind needs its name', async () => {
    const { client: r } = await one();
    const body = { name: '楼道微治理队', kind: 'custom', customKind: '楼道' };
    expect((await r.post(`/api/communities/${w.community}/teams`, body)).statusCode).toBe(403);
    const missing = await w.secretary.post(`/api/communities/${w.community}/teams`, {
      name: '无名队',
      kind: 'custom',
    });
    expect(missing.statusCode).toBe(400);
    expect((await w.secretary.post(`/api/communities/${w.community}/teams`, body)).statusCode).toBe(
      201,
    );
    expect(codeOf(await w.secretary.post(`/api/communities/${w.community}/teams`, body))).toBe(
      'team_name_taken',
    );
  });

  it('places fill in arrival order, then the waiting list; a cancellation promotes the first waiting, who is told and can decline', async () => {
    const a = await newActivity(w, 2);
    const vols = await people(5, '志愿者');
    const results: SignupResult[] = [];
    for (const v of vols) {
      const res = await v.client.post(`/api/activities/${a.id}/signup`);
      expect(res.statusCode, res.body).toBe(201);
      results.push(res.json<SignupResult>());
    }
    expect(results.map((r) => r.activity.mine!.status)).toEqual([
      'confirmed',
      'confirmed',
      'waitlisted',
      'waitlisted',
      'waitlisted',
    ]);
    expect(results.slice(2).map((r) => r.activity.mine!.waitlistPosition)).toEqual([1, 2, 3]);

    // The second volunteer cancels: the third gets the place and hears about it.
    const cancelled = await vols[1]!.client.post(
      `/api/signups/${results[1]!.activity.mine!.id}/cancel`,
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<ActivityView>().confirmed).toBe(2);
    const third = (await vols[2]!.client.get(`/api/activities/${a.id}`)).json<ActivityView>();
    expect(third.mine!.status).toBe('confirmed');
    const told = await inbox(vols[2]!.client);
    expect(told.unread).toBe(1);
    expect(told.items[0]).toMatchObject({
      kind: 'waitlist_promoted',
      link: `/teams/activities/${a.id}`,
    });
    expect(told.items[0]!.params.title).toBe(a.title);
    // The fourth moves up the line.
    const fourth = (await vols[3]!.client.get(`/api/activities/${a.id}`)).json<ActivityView>();
    expect(fourth.mine!.waitlistPosition).toBe(1);

    // The promoted volunteer declines: the place goes on to the fourth.
    await vols[2]!.client.post(`/api/signups/${third.mine!.id}/cancel`);
    expect(
      (await vols[3]!.client.get(`/api/activities/${a.id}`)).json<ActivityView>().mine!.status,
    ).toBe('confirmed');
    // Nobody cancels someone else's sign-up, or the same one twice.
    const fifth = results[4]!.activity.mine!.id;
    const notMine = await vols[0]!.client.post(`/api/signups/${fifth}/cancel`);
    expect(notMine.statusCode).toBe(403);
    expect(codeOf(notMine)).toBe('not_your_signup');
    expect(codeOf(await vols[2]!.client.post(`/api/signups/${third.mine!.id}/cancel`))).toBe(
      'signup_already_cancelled',
    );
    // Cancelling and signing up again is changing one's mind, not asking anyone.
    const back = await vols[1]!.client.post(`/api/activities/${a.id}/signup`);
    expect(back.json<SignupResult>().activity.mine!.status).toBe('waitlisted');
  });

  it('no sign-up after the start, none twice, none on a cancelled activity; members-only activities want members', async () => {
    const { client: v } = await one();
    const a = await newActivity(w, 5);
    expect((await v.post(`/api/activities/${a.id}/signup`)).statusCode).toBe(201);
    expect(codeOf(await v.post(`/api/activities/${a.id}/signup`))).toBe('already_signed_up');

    const started = await newActivity(w, 5);
    await moveStart(started.id, -5);
    const late = await v.post(`/api/activities/${started.id}/signup`);
    expect(late.statusCode).toBe(409);
    expect(codeOf(late)).toBe('signup_closed');

    const closed = await newActivity(w, 5);
    expect((await w.leader.post(`/api/activities/${closed.id}/cancel`)).statusCode).toBe(200);
    expect(codeOf(await v.post(`/api/activities/${closed.id}/signup`))).toBe('signup_closed');

    const own = await newActivity(w, 5, { membersOnly: true });
    const refused = await v.post(`/api/activities/${own.id}/signup`);
    expect(refused.statusCode).toBe(403);
    expect(codeOf(refused)).toBe('members_only');
    expect((await v.get(`/api/activities/${own.id}`)).json<ActivityView>().blocker).toBe(
      'members_only',
    );
    await v.post(`/api/teams/${w.teamId}/join`);
    expect((await v.post(`/api/activities/${own.id}/signup`)).statusCode).toBe(201);
  });

  it('warns a volunteer about overlapping activities, and signs them up all the same', async () => {
    const { client: v } = await one();
    const first = await newActivity(w, 5, {}, 72);
    const second = await newActivity(w, 5, {}, 73);
    await v.post(`/api/activities/${first.id}/signup`);
    const res = await v.post(`/api/activities/${second.id}/signup`);
    expect(res.statusCode).toBe(201);
    expect(res.json<SignupResult>().overlaps.map((o: { id: string }) => o.id)).toEqual([first.id]);
    const mine = (await v.get('/api/me/activities')).json<Array<{ activity: { id: string } }>>();
    expect(mine.map((s) => s.activity.id)).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('two refusals of one sign-up are two codes: a closed activity is not a members-only one', async () => {
    const { client: v } = await one();
    const started = await newActivity(w, 5);
    await moveStart(started.id, -1);
    const own = await newActivity(w, 5, { membersOnly: true });
    const closed = await v.post(`/api/activities/${started.id}/signup`);
    const notMember = await v.post(`/api/activities/${own.id}/signup`);
    expect([closed.statusCode, codeOf(closed)]).toEqual([409, 'signup_closed']);
    expect([notMember.statusCode, codeOf(notMember)]).toEqual([403, 'members_only']);
    // Each in its own words from shared/messages (the person's language is Chinese).
    const words = (r: typeof closed) => r.json<{ error: { message: string } }>().error.message;
    expect(words(closed)).toContain('已经开始或已取消');
    expect(words(notMember)).toContain('只接受本服务队队员');
  });

  it('leaders change, cancel and message an activity; everyone on it is told; residents cannot', async () => {
    const a = await newActivity(w, 2);
    const vols = await people(3);
    for (const v of vols) await v.client.post(`/api/activities/${a.id}/signup`);
    const r = vols[0]!.client;
    expect((await r.patch(`/api/activities/${a.id}`, { place: '别处' })).statusCode).toBe(403);
    expect((await r.post(`/api/activities/${a.id}/cancel`)).statusCode).toBe(403);
    expect((await r.post(`/api/activities/${a.id}/message`, { text: '嗨' })).statusCode).toBe(403);
    expect((await r.get(`/api/activities/${a.id}/roster`)).statusCode).toBe(403);

    const shrink = await w.leader.patch(`/api/activities/${a.id}`, { capacity: 1 });
    expect(shrink.statusCode).toBe(409);
    expect(shrink.json<{ error: { code: string; params: object } }>().error).toMatchObject({
      code: 'capacity_below_confirmed',
      params: { confirmed: 2 },
      field: 'capacity',
    });
    const bad = await w.leader.patch(`/api/activities/${a.id}`, { endsAt: a.startsAt });
    expect(bad.statusCode).toBe(400);
    expect(codeOf(bad)).toBe('ends_before_start');

    // More places go to the waiting list at once.
    const grown = await w.leader.patch(`/api/activities/${a.id}`, {
      capacity: 3,
      place: '二号楼下',
    });
    expect(grown.statusCode, grown.body).toBe(200);
    expect(grown.json<ActivityView>()).toMatchObject({
      confirmed: 3,
      waitlisted: 0,
      place: '二号楼下',
    });
    expect((await inbox(vols[0]!.client)).items[0]!.kind).toBe('activity_changed');
    expect((await inbox(vols[2]!.client)).items[0]!.kind).toBe('waitlist_promoted');

    const sent = await w.leader.post(`/api/activities/${a.id}/message`, { text: '请带好手套' });
    expect(sent.json<{ recipients: number }>().recipients).toBe(3);
    expect((await inbox(vols[1]!.client)).items[0]).toMatchObject({
      kind: 'leader_message',
      params: { text: '请带好手套' },
    });
    await w.leader.post(`/api/activities/${a.id}/cancel`);
    expect((await inbox(vols[1]!.client)).items[0]!.kind).toBe('activity_cancelled');
    expect(codeOf(await w.leader.post(`/api/activities/${a.id}/cancel`))).toBe(
      'activity_cancelled',
    );
  });

  it('QR check-in inside its window, leader check-in on the roster, hours into points through the ledger, and back', async () => {
    const a = await newActivity(w, 1);
    const [first, second] = await people(2, '签到');
    await first!.client.post(`/api/activities/${a.id}/signup`);
    await second!.client.post(`/api/activities/${a.id}/signup`); // waitlisted
    const roster = (await w.leader.get(`/api/activities/${a.id}/roster`)).json<Roster>();
    expect(roster.entries.map((e) => e.status)).toEqual(['confirmed', 'waitlisted']);
    expect(roster.defaultMinutes).toBe(120);
    const code = roster.checkinCode;

    // Two days ahead: too early.
    expect(codeOf(await first!.client.post('/api/checkin', { code }))).toBe('checkin_closed');
    await moveStart(a.id, -10); // under way: check-in open, hours may be confirmed
    expect(codeOf(await second!.client.post('/api/checkin', { code }))).toBe('not_signed_up');
    const unknown = await first!.client.post('/api/checkin', { code: 'nonsense-code' });
    expect(unknown.statusCode).toBe(404);
    expect(codeOf(unknown)).toBe('unknown_checkin_code');
    const scanned = await first!.client.post('/api/checkin', { code });
    expect(scanned.statusCode, scanned.body).toBe(200);
    expect(scanned.json<{ signup: { attendance: string } }>().signup.attendance).toBe('present');

    const signupId = roster.entries[0]!.signupId;
    const confirmed = await w.leader.post(`/api/signups/${signupId}/hours`, { minutes: 120 });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const points = async () =>
      (await first!.client.get(`/api/communities/${w.community}/points/me`)).json<MyPoints>();
    let mine = await points();
    expect(mine.balance).toBe(20);
    expect(mine.confirmedMinutes).toBe(120);
    expect(mine.entries[0]).toMatchObject({ delta: 20, reason: 'service_hours', about: a.title });

    // Correcting the hours: a reversal and a new credit, nothing edited.
    await w.leader.post(`/api/signups/${signupId}/hours`, { minutes: 90 });
    mine = await points();
    expect(mine.entries.map((e) => e.delta)).toEqual([15, -20, 20]);
    expect(mine.balance).toBe(15);

    // Undoing the check-in takes the points back with a new entry.
    const undone = await w.leader.post(`/api/signups/${signupId}/attendance`, {
      attendance: 'no_show',
    });
    expect(undone.json<RosterEntry>()).toMatchObject({
      attendance: 'no_show',
      serviceMinutes: null,
    });
    mine = await points();
    expect(mine.balance).toBe(0);
    expect(mine.entries[0]).toMatchObject({ delta: -15, reason: 'hours_reversed' });
    expect(mine.entries.reduce((s, e) => s + e.delta, 0)).toBe(mine.balance);
    expect(mine.entries.map((e) => e.balanceAfter)).toEqual([0, 15, 0, 20]);
    // Hours want a check-in first; a waitlisted person cannot be checked in.
    expect(
      (await w.leader.post(`/api/signups/${signupId}/hours`, { minutes: 60 })).statusCode,
    ).toBe(409);
    const waiting = roster.entries[1]!.signupId;
    expect(
      (await w.leader.post(`/api/signups/${waiting}/attendance`, { attendance: 'present' }))
        .statusCode,
    ).toBe(409);
    // The volunteer cannot confirm their own hours.
    expect(
      (await first!.client.post(`/api/signups/${signupId}/hours`, { minutes: 600 })).statusCode,
    ).toBe(403);
  });

  it('refuses hours and points before the activity has started, with a sentence saying when', async () => {
    const a = await newActivity(w, 1, {}, 0.25);
    const v = await one();
    await v.client.post(`/api/activities/${a.id}/signup`);
    const code = (await w.leader.get(`/api/activities/${a.id}/roster`)).json<Roster>().checkinCode;
    // Check-in opens half an hour early; the hours still wait for the start.
    const scanned = await v.client.post('/api/checkin', { code });
    expect(scanned.statusCode, scanned.body).toBe(200);
    const signupId = scanned.json<{ signup: { id: string } }>().signup.id;
    const early = await w.leader.post(`/api/signups/${signupId}/hours`, { minutes: 120 });
    expect(early.statusCode, early.body).toBe(409);
    expect(codeOf(early)).toBe('hours_before_start');
    expect(early.json<{ error: { message: string } }>().error.message).toMatch(/开始后才能确认/);
    const points = async () =>
      (await v.client.get(`/api/communities/${w.community}/points/me`)).json<MyPoints>();
    expect((await points()).entries).toHaveLength(0);
    const row = await t.app.db
      .selectFrom('signups')
      .select(['serviceMinutes', 'hoursConfirmedAt'])
      .where('id', '=', signupId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ serviceMinutes: null, hoursConfirmedAt: null });

    await moveStart(a.id, -1);
    const started = await w.leader.post(`/api/signups/${signupId}/hours`, { minutes: 120 });
    expect(started.statusCode, started.body).toBe(200);
    expect((await points()).balance).toBe(20);
  });

  it('the secretary corrects and withdraws shop items; redemptions made stay on the desk', async () => {
    const created = await w.secretary.post(`/api/communities/${w.community}/catalogue`, {
      name: '环保袋',
      cost: 10,
      stock: 3,
    });
    const id = created.json<{ id: string }>().id;
    const changed = await w.secretary.patch(`/api/catalogue/${id}`, {
      name: '帆布环保袋',
      cost: 12,
      stock: 5,
      description: '社区定制',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: '帆布环保袋', cost: 12, stock: 5 });
    expect((await w.secretary.patch(`/api/catalogue/${id}`, {})).statusCode).toBe(400);
    expect((await w.secretary.patch(`/api/catalogue/${id}`, { cost: -1 })).statusCode).toBe(400);
    expect((await w.leader.patch(`/api/catalogue/${id}`, { cost: 1 })).statusCode).toBe(403);
    expect((await w.leader.post(`/api/catalogue/${id}/withdraw`)).statusCode).toBe(403);

    expect((await w.secretary.post(`/api/catalogue/${id}/withdraw`)).statusCode).toBe(204);
    const shop = (await w.secretary.get(`/api/communities/${w.community}/catalogue`)).json<
      Array<{ id: string }>
    >();
    expect(shop.some((i) => i.id === id)).toBe(false);
    expect((await w.secretary.post(`/api/catalogue/${id}/withdraw`)).statusCode).toBe(404);
    expect((await w.secretary.patch(`/api/catalogue/${id}`, { cost: 3 })).statusCode).toBe(404);
  });

  it('the service desk hands a redeemed item over once; residents cannot', async () => {
    const item = await w.secretary.post(`/api/communities/${w.community}/catalogue`, {
      name: '毛巾',
      cost: 5,
      stock: 2,
    });
    const a = await newActivity(w, 1);
    const v = await one();
    await v.client.post(`/api/activities/${a.id}/signup`);
    const roster = (await w.leader.get(`/api/activities/${a.id}/roster`)).json<Roster>();
    await w.leader.post(`/api/signups/${roster.entries[0]!.signupId}/attendance`, {
      attendance: 'present',
    });
    await moveStart(a.id, -10);
    await w.leader.post(`/api/signups/${roster.entries[0]!.signupId}/hours`, { minutes: 60 });
    const redeemed = await v.client.post(`/api/catalogue/${item.json<{ id: string }>().id}/redeem`);
    expect(redeemed.statusCode, redeemed.body).toBe(201);
    const id = redeemed.json<{ id: string }>().id;
    expect((await v.client.get(`/api/communities/${w.community}/redemptions`)).statusCode).toBe(
      403,
    );
    expect((await v.client.post(`/api/redemptions/${id}/hand-over`)).statusCode).toBe(403);
    expect((await w.secretary.post(`/api/redemptions/${id}/hand-over`)).statusCode).toBe(204);
    expect(codeOf(await w.secretary.post(`/api/redemptions/${id}/hand-over`))).toBe(
      'already_handed_over',
    );
    const desk = (await w.secretary.get(`/api/communities/${w.community}/redemptions`)).json<
      Array<{ id: string; status: string; user: { id: string } }>
    >();
    expect(desk.find((r) => r.id === id)).toMatchObject({
      status: 'handed_over',
      user: { id: v.userId },
    });
  });

  it('the ledger is append-only in the database itself', async () => {
    await expect(
      t.app.db.updateTable('pointsLedger').set({ delta: 1000 }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.app.db.deleteFrom('pointsLedger').execute()).rejects.toThrow(/append-only/);
  });

  it('the roster exports as CSV with a BOM, formulas defused', async () => {
    const a = await newActivity(w, 3);
    const v = await one('=cmd');
    await v.client.post(`/api/activities/${a.id}/signup`);
    const csv = await w.leader.get(`/api/activities/${a.id}/roster.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF姓名,电话,状态')).toBe(true);
    expect(csv.body).toContain("'=cmd0,,已确认,1");
  });

  it('a service day rule lays out activities on its days, once however often it runs', async () => {
    const res = await w.secretary.post(`/api/communities/${w.community}/service-days`, {
      title: '集中服务日',
      place: '社区广场',
      daysOfMonth: [15, 25],
      startTime: '09:00',
      durationMinutes: 180,
      capacity: 30,
    });
    expect(res.statusCode, res.body).toBe(201);
    const rule = res.json<ServiceDayView>();
    expect(rule.upcoming.length).toBeGreaterThanOrEqual(3);
    for (const u of rule.upcoming) {
      const local = chinaParts(new Date(u.startsAt));
      expect([15, 25]).toContain(local.day);
      expect(local.hour).toBe(9);
    }
    const count = async () =>
      Number(
        (
          await t.app.db
            .selectFrom('activities')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('serviceDayRuleId', '=', rule.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await generateAllServiceDays(t.app.db);
    await generateAllServiceDays(t.app.db);
    expect(await count()).toBe(before);
    const { client: r } = await one();
    const body = {
      title: '居民自定服务日',
      place: '广场',
      daysOfMonth: [1],
      startTime: '08:00',
      durationMinutes: 60,
      capacity: 5,
    };
    expect((await r.post(`/api/communities/${w.community}/service-days`, body)).statusCode).toBe(
      403,
    );
    const bad = { ...body, daysOfMonth: [0, 32], startTime: '25:00' };
    expect(
      (await w.secretary.post(`/api/communities/${w.community}/service-days`, bad)).statusCode,
    ).toBe(400);
  });

  it('reminds everyone holding a place the day before, once', async () => {
    const a = await newActivity(w, 2, {}, 20);
    const v = await one();
    await v.client.post(`/api/activities/${a.id}/signup`);
    await sendDueReminders(t.app);
    await sendDueReminders(t.app);
    const got = (await inbox(v.client)).items.filter((n) => n.kind === 'activity_reminder');
    expect(got).toHaveLength(1);
    expect(got[0]!.params.title).toBe(a.title);
  });

  it('marks notifications read, only one’s own', async () => {
    const v = await one();
    const a = await newActivity(w, 1);
    await v.client.post(`/api/activities/${a.id}/signup`);
    await w.leader.post(`/api/activities/${a.id}/message`, { text: '一' });
    await w.leader.post(`/api/activities/${a.id}/message`, { text: '二' });
    const box = await inbox(v.client);
    expect(box.unread).toBe(2);
    await w.leader.post('/api/me/notifications/read', { ids: box.items.map((n) => n.id) });
    expect((await inbox(v.client)).unread).toBe(2);
    const read = await v.client.post('/api/me/notifications/read', { ids: [box.items[0]!.id] });
    expect(read.json<Inbox>().unread).toBe(1);
    await v.client.post('/api/me/notifications/read', {});
    expect((await inbox(v.client)).unread).toBe(0);
  });

  it('service stars rank the month by confirmed hours', async () => {
    const stars = await w.secretary.get(`/api/communities/${w.community}/stars`);
    expect(stars.statusCode, stars.body).toBe(200);
    const body = stars.json<Stars>();
    expect(body.month).toMatch(/^\d{4}-\d{2}$/);
    const minutes = body.stars.map((s) => s.minutes);
    expect([...minutes].sort((x, y) => y - x)).toEqual(minutes);
    expect(
      (await w.secretary.get(`/api/communities/${w.community}/stars?month=2026-13`)).statusCode,
    ).toBe(400);
  });

  it('refuses strangers and bad input with a clear 4xx', async () => {
    const stranger = new TestClient(t.app);
    await stranger.register(`stranger${Date.now()}`);
    expect((await stranger.get(`/api/communities/${w.community}/activities`)).statusCode).toBe(403);
    expect((await stranger.get(`/api/communities/${w.community}/teams`)).statusCode).toBe(403);
    const a = await newActivity(w, 1);
    expect((await stranger.post(`/api/activities/${a.id}/signup`)).statusCode).toBe(403);
    const bad = await w.leader.post(`/api/communities/${w.community}/activities`, {
      teamId: w.teamId,
      title: 'x',
      place: 'y',
      startsAt: 'tomorrow',
      endsAt: 'later',
      capacity: 0,
    });
    expect(bad.statusCode).toBe(400);
    const list = await w.leader.get(`/api/communities/${w.community}/activities?open=maybe`);
    expect(list.statusCode).toBe(400);
  });
});
