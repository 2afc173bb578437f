import { teamsBoardDoc } from '@tongxin/shared/live/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type BoardActivity,
  type RedemptionView,
  type Roster,
} from '@tongxin/shared/teams/teams.schemas';
import { pointsBalance } from '@tongxin/db/teams/points.queries';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { residents } from '../../support/people.ts';
import { waitFor } from '../../support/realtime.ts';
import { codeOf, newActivity, teamsWorld, type TeamsWorld } from './setup.ts';

// Races only show with many connections: on PGlite they run too, one at a time (and fewer).
const REPEATS = onRealPostgres() ? 20 : 2;
let t: TestApp;
let w: TeamsWorld;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await teamsWorld(t.app);
}, 60_000);
afterAll(() => t.close());

type Signup = {
  id: string;
  userId: string;
  status: string;
  arrival: number;
  promotedAt: Date | null;
};
const signupsOf = (activityId: string): Promise<Signup[]> =>
  t.app.db
    .selectFrom('signups')
    .select(['id', 'userId', 'status', 'arrival', 'promotedAt'])
    .where('activityId', '=', activityId)
    .orderBy('arrival')
    .execute();
const counter = async (activityId: string) =>
  (
    await t.app.db
      .selectFrom('activities')
      .select('confirmedCount')
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow()
  ).confirmedCount;

/** The live board's entry for an activity, as every open page sees it. */
async function boardActivity(activityId: string): Promise<BoardActivity | undefined> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await t.app.live.state(teamsBoardDoc(w.community)));
  return doc.getMap<BoardActivity>('activities').get(activityId);
}

describe(`sign-up races (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it(`500 volunteers at once for 20 places: 20 confirmed, 480 waiting in arrival order; the live count, the rows and the counter agree (×${REPEATS})`, async () => {
    const vols = await residents(t.app, w.community, 500, '志愿者');
    for (let run = 0; run < REPEATS; run++) {
      const a = await newActivity(w, 20);
      const answers = await Promise.all(
        vols.map((v) => v.client.post(`/api/activities/${a.id}/signup`)),
      );
      expect(answers.filter((r) => r.statusCode >= 500)).toEqual([]);
      expect(answers.every((r) => r.statusCode === 201)).toBe(true);
      const rows = await signupsOf(a.id);
      expect(rows).toHaveLength(500);
      // Arrival numbers are 1..500 without gaps; the first 20 hold the places.
      expect(rows.map((r) => r.arrival)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      expect(rows.slice(0, 20).every((r) => r.status === 'confirmed')).toBe(true);
      expect(rows.slice(20).every((r) => r.status === 'waitlisted')).toBe(true);
      expect(await counter(a.id)).toBe(20);
      // What each volunteer was told matches the rows.
      const told = answers.map((r) =>
        r.json<{ activity: { mine: { id: string; status: string } } }>(),
      );
      for (const answer of told) {
        const row = rows.find((r) => r.id === answer.activity.mine.id)!;
        expect(answer.activity.mine.status).toBe(row.status);
      }
      await waitFor(
        async () => (await boardActivity(a.id))?.waitlist.length === 480,
        'board caught up',
      );
      const live = (await boardActivity(a.id))!;
      expect(live.confirmed).toBe(20);
      expect(live.waitlist).toEqual(rows.slice(20).map((r) => r.id));
    }
  }, 600_000);

  it('one volunteer sending 20 sign-ups at once holds one place', async () => {
    const [v] = await residents(t.app, w.community, 1);
    const a = await newActivity(w, 5);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => v!.client.post(`/api/activities/${a.id}/signup`)),
    );
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.statusCode === 409).map(codeOf)).toEqual(
      Array(19).fill('already_signed_up'),
    );
    expect((await signupsOf(a.id)).filter((r) => r.status !== 'cancelled')).toHaveLength(1);
    expect(await counter(a.id)).toBe(1);
  });

  it('10 cancellations racing 100 new sign-ups on a full activity: never over capacity, each freed place to exactly one waiting person, in order', async () => {
    const a = await newActivity(w, 10);
    const first = await residents(t.app, w.community, 30, '先到');
    const held: Array<{ signupId: string; client: (typeof first)[number]['client'] }> = [];
    for (const v of first) {
      const res = await v.client.post(`/api/activities/${a.id}/signup`);
      held.push({
        signupId: res.json<{ activity: { mine: { id: string } } }>().activity.mine.id,
        client: v.client,
      });
    }
    const newcomers = await residents(t.app, w.community, 100, '后到');
    const answers = await Promise.all([
      ...held.slice(0, 10).map((h) => h.client.post(`/api/signups/${h.signupId}/cancel`)),
      ...newcomers.map((v) => v.client.post(`/api/activities/${a.id}/signup`)),
    ]);
    expect(answers.filter((r) => r.statusCode >= 300).map((r) => r.body)).toEqual([]);
    const rows = await signupsOf(a.id);
    const confirmed = rows.filter((r) => r.status === 'confirmed');
    expect(confirmed).toHaveLength(10);
    expect(await counter(a.id)).toBe(10);
    // The places went to the next ten in line (arrivals 11–20), each promoted once.
    expect(confirmed.map((r) => r.arrival)).toEqual(Array.from({ length: 10 }, (_, i) => 11 + i));
    expect(rows.filter((r) => r.promotedAt !== null)).toHaveLength(10);
    const promotedTold = await t.app.db
      .selectFrom('notifications')
      .select('userId')
      .where('kind', '=', 'waitlist_promoted')
      .where(
        'userId',
        'in',
        confirmed.map((r) => r.userId),
      )
      .execute();
    expect(new Set(promotedTold.map((n) => n.userId)).size).toBe(10);
    expect(promotedTold).toHaveLength(10);
    // Everyone else waits in arrival order, newcomers behind those who came first.
    const waiting = rows.filter((r) => r.status === 'waitlisted');
    expect(waiting).toHaveLength(110);
    expect(waiting.map((r) => r.arrival)).toEqual(
      [...waiting.map((r) => r.arrival)].sort((x, y) => x - y),
    );
    expect(waiting[0]!.arrival).toBe(21);
  }, 120_000);

  /** `n` volunteers with `points` each, earned on a real activity through check-in and hours. */
  async function earners(n: number, minutes: number) {
    const vols = await residents(t.app, w.community, n, '积分');
    const a = await newActivity(w, n);
    for (const v of vols) await v.client.post(`/api/activities/${a.id}/signup`);
    // Hours are confirmed once the activity is under way.
    await t.app.db
      .updateTable('activities')
      .set({ startsAt: new Date(Date.now() - 60_000) })
      .where('id', '=', a.id)
      .execute();
    const roster = (await w.leader.get(`/api/activities/${a.id}/roster`)).json<Roster>();
    for (const e of roster.entries) {
      await w.leader.post(`/api/signups/${e.signupId}/attendance`, { attendance: 'present' });
      await w.leader.post(`/api/signups/${e.signupId}/hours`, { minutes });
    }
    return vols;
  }

  async function catalogue(cost: number, stock: number) {
    const res = await w.secretary.post(`/api/communities/${w.community}/catalogue`, {
      name: `物品${Math.random().toString(36).slice(2, 6)}`,
      cost,
      stock,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  }

  it('50 redemptions racing for a stock of 5: exactly 5; every ledger sums to its balance', async () => {
    const vols = await earners(50, 120); // 20 points each
    const item = await catalogue(10, 5);
    const answers = await Promise.all(
      vols.map((v) => v.client.post(`/api/catalogue/${item}/redeem`)),
    );
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(answers.filter((r) => r.statusCode === 409).map(codeOf)).toEqual(
      Array(45).fill('out_of_stock'),
    );
    const stock = await t.app.db
      .selectFrom('catalogueItems')
      .select('stock')
      .where('id', '=', item)
      .executeTakeFirstOrThrow();
    expect(stock.stock).toBe(0);
    const redemptions = await t.app.db
      .selectFrom('redemptions')
      .select('userId')
      .where('itemId', '=', item)
      .execute();
    expect(redemptions).toHaveLength(5);
    for (const v of vols) {
      const entries = await t.app.db
        .selectFrom('pointsLedger')
        .select(['delta', 'balanceAfter'])
        .where('userId', '=', v.userId)
        .orderBy('id')
        .execute();
      const spent = redemptions.some((r) => r.userId === v.userId);
      expect(entries.map((e) => e.delta)).toEqual(spent ? [20, -10] : [20]);
      expect(entries.at(-1)!.balanceAfter).toBe(entries.reduce((s, e) => s + e.delta, 0));
      expect(await pointsBalance(t.app.db, v.userId, w.community)).toBe(spent ? 10 : 20);
    }
  }, 120_000);

  it('one volunteer racing six redemptions with points for two: two, never below zero', async () => {
    const [v] = await earners(1, 150); // 25 points
    const item = await catalogue(10, 100);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => v!.client.post(`/api/catalogue/${item}/redeem`)),
    );
    const ok = answers.filter((r) => r.statusCode === 201).map((r) => r.json<RedemptionView>());
    expect(ok).toHaveLength(2);
    expect(ok.map((r) => r.balanceAfter).sort()).toEqual([15, 5]);
    expect(answers.filter((r) => r.statusCode === 409).map(codeOf)).toEqual(
      Array(4).fill('not_enough_points'),
    );
    expect(await pointsBalance(t.app.db, v!.userId, w.community)).toBe(5);
    // The stock taken by refused redemptions went back with their transactions.
    const stock = await t.app.db
      .selectFrom('catalogueItems')
      .select('stock')
      .where('id', '=', item)
      .executeTakeFirstOrThrow();
    expect(stock.stock).toBe(98);
  }, 60_000);
});
