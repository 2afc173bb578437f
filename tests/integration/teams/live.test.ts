import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbox } from '@tongxin/shared/notifications/notifications';
import type { BoardActivity, Roster, SignupResult } from '@tongxin/shared/teams/teams.schemas';
import { onRealPostgres } from '../../support/database.ts';
import { residents } from '../../support/people.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { newActivity, teamsWorld, type TeamsWorld } from './setup.ts';

let t: LiveTestApp;
let w: TeamsWorld;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await teamsWorld(t.app);
}, 60_000);
afterAll(() => t.close());

const cookieOf = (c: { cookie: string | null }) => c.cookie!;

describe(`live sign-up board and bell (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('a y-websocket client sees place counts and the waiting list move as people sign up and cancel', async () => {
    const a = await newActivity(w, 1);
    const [first, second] = await residents(t.app, w.community, 2);
    const watcher = connect(t.wsUrl, `teams-board:${w.community}`, {
      cookie: cookieOf(w.secretary),
      origin: t.origin,
    });
    const entry = () => watcher.doc.getMap<BoardActivity>('activities').get(a.id);
    await waitFor(() => watcher.provider.synced, 'board synced');
    expect(entry()).toMatchObject({ confirmed: 0, capacity: 1, waitlist: [] });

    await first!.client.post(`/api/activities/${a.id}/signup`);
    const res = await second!.client.post(`/api/activities/${a.id}/signup`);
    const waiting = res.json<SignupResult>().activity.mine!.id;
    await waitFor(() => entry()?.waitlist.length === 1, 'second waits');
    expect(entry()).toMatchObject({ confirmed: 1, waitlist: [waiting] });

    // The board is the server's: a client's write goes nowhere.
    watcher.doc
      .getMap<BoardActivity>('activities')
      .set(a.id, { confirmed: 0, capacity: 99, status: 'scheduled', waitlist: [], present: 0 });
    const mine = (await first!.client.get(`/api/me/activities`)).json<
      Array<{ signup: { id: string } }>
    >();
    await first!.client.post(`/api/signups/${mine[0]!.signup.id}/cancel`);
    const fresh = connect(t.wsUrl, `teams-board:${w.community}`, {
      cookie: cookieOf(w.secretary),
      origin: t.origin,
    });
    await waitFor(() => fresh.provider.synced, 'fresh synced');
    await waitFor(
      () => fresh.doc.getMap<BoardActivity>('activities').get(a.id)?.waitlist.length === 0,
      'promotion reaches the board',
    );
    expect(fresh.doc.getMap<BoardActivity>('activities').get(a.id)).toMatchObject({
      confirmed: 1,
      capacity: 1,
    });
    watcher.provider.destroy();
    fresh.provider.destroy();
  });

  it("a check-in reaches the board, so the leader's open roster follows it", async () => {
    const a = await newActivity(w, 2, {}, 0.25); // check-in opens half an hour before the start
    const [v] = await residents(t.app, w.community, 1);
    await v!.client.post(`/api/activities/${a.id}/signup`);
    const watcher = connect(t.wsUrl, `teams-board:${w.community}`, {
      cookie: cookieOf(w.leader),
      origin: t.origin,
    });
    const entry = () => watcher.doc.getMap<BoardActivity>('activities').get(a.id);
    await waitFor(() => watcher.provider.synced && entry()?.confirmed === 1, 'board synced');
    expect(entry()?.present).toBe(0);
    const code = (await w.leader.get(`/api/activities/${a.id}/roster`)).json<Roster>().checkinCode;
    const scanned = await v!.client.post('/api/checkin', { code });
    expect(scanned.statusCode, scanned.body).toBe(200);
    await waitFor(() => entry()?.present === 1, 'check-in reaches the board');
    watcher.provider.destroy();
  });

  it("the promoted volunteer's bell counts up live; nobody can open another person's inbox", async () => {
    const a = await newActivity(w, 1);
    const [first, second] = await residents(t.app, w.community, 2);
    const me = (await second!.client.get('/api/auth/me')).json<{ id: string }>().id;
    const bell = connect(t.wsUrl, `inbox:${me}`, {
      cookie: cookieOf(second!.client),
      origin: t.origin,
    });
    const inbox = () => bell.doc.getMap<Inbox>('inbox').get('data');
    await waitFor(() => bell.provider.synced, 'inbox synced');
    expect(inbox()?.unread ?? 0).toBe(0);

    const held = (await first!.client.post(`/api/activities/${a.id}/signup`)).json<SignupResult>();
    await second!.client.post(`/api/activities/${a.id}/signup`);
    await first!.client.post(`/api/signups/${held.activity.mine!.id}/cancel`);
    await waitFor(() => inbox()?.unread === 1, 'bell rings');
    expect(inbox()!.items[0]).toMatchObject({
      kind: 'waitlist_promoted',
      params: { title: a.title },
    });

    const snoop = connect(t.wsUrl, `inbox:${me}`, {
      cookie: cookieOf(first!.client),
      origin: t.origin,
    });
    const closed = await new Promise<number>((resolve) =>
      snoop.provider.on('connection-close', (event) => resolve(event?.code ?? 0)),
    );
    expect(closed).toBeGreaterThanOrEqual(4400);
    expect(closed).toBeLessThan(4500);
    snoop.provider.destroy();
    bell.provider.destroy();
  });
});
