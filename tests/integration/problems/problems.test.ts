import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemList, ProblemView } from '@tongxin/shared/problems/problems.schemas';
import { PROBLEM_POINTS } from '@tongxin/shared/problems/problems';
import type { MyPoints } from '@tongxin/shared/teams/teams.schemas';
import { escalateOverdue } from '@tongxin/server/problems/escalation';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import type { TestClient } from '../../support/http.ts';
import { newUser, signedIn } from '../../support/people.ts';
import { userIdOf, placeIdOf } from '../../support/demo-ids.ts';

let t: TestApp;
let now = Date.now();
const HOUR = 3600_000;

let rider: TestClient;
let resident: TestClient;
let worker: TestClient;
let otherGridWorker: TestClient;
let secretary: TestClient;
let riderId: string;
let secretaryId: string;
let workerId: string;
let community: string;
let building1: string;
let elsewhere: string;

type Err = { error: { code: string; message: string } };

const sum = (rows: Array<{ delta: number }>) => rows.reduce((a, r) => a + r.delta, 0);

const idOf = (username: string) => userIdOf(t.app.db, username);

const placeId = (name: string, parent?: string) => placeIdOf(t.app.db, name, parent);

async function report(client: TestClient, extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/problems', {
    communityId: community,
    category: 'safety_hazard',
    description: '1 号楼东侧井盖破损',
    placeId: building1,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function step(client: TestClient, id: string, verb: string, body: unknown = {}) {
  return client.post(`/api/problems/${id}/${verb}`, body);
}

async function notificationsOf(userId: string, kind: string) {
  return t.app.db
    .selectFrom('notifications')
    .select(['link'])
    .where('userId', '=', userId)
    .where('kind', '=', kind)
    .execute();
}

beforeAll(async () => {
  t = await buildTestApp({ demo: true, now: () => new Date(now) });
  [riderId, secretaryId, workerId] = await Promise.all([
    idOf('rider'),
    idOf('secretary'),
    idOf('gridworker'),
  ]);
  rider = await signedIn(t.app, riderId);
  resident = await signedIn(t.app, await idOf('resident'));
  worker = await signedIn(t.app, workerId);
  otherGridWorker = await signedIn(t.app, await idOf('gridworker2'));
  secretary = await signedIn(t.app, secretaryId);
  community = await placeId('幸福社区');
  building1 = await placeId('1号楼', await placeId('阳光花园'));
  elsewhere = await placeId('和平里');
}, 120_000);
afterAll(() => t.close());

describe('随手拍: report → answer → fix → confirm', () => {
  it('a rider with no role reports; the grid worker of its grid is told, not the other grid', async () => {
    const id = await report(rider);
    const told = await notificationsOf(workerId, 'problem_submitted');
    expect(told.map((n) => n.link)).toContain(`/problems/${id}`);
    const otherId = await idOf('gridworker2');
    expect((await notificationsOf(otherId, 'problem_submitted')).map((n) => n.link)).not.toContain(
      `/problems/${id}`,
    );
  });

  it('the public list has no reporter; private details only for its handler and reporter', async () => {
    const id = await report(rider, { description: '井盖又松了' });
    const list = (await resident.get(`/api/problems?communityId=${community}`)).json<ProblemList>();
    const shown = list.items.find((p) => p.id === id)!;
    expect(shown.status).toBe('submitted');
    expect(JSON.stringify(shown)).not.toContain('骑手小马');

    const asResident = (await resident.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(asResident.reporter).toBeNull();
    expect(asResident.viewer).toEqual({ part: 'other', may: [] });
    const asOutsider = (await otherGridWorker.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(asOutsider.reporter).toBeNull();
    expect(asOutsider.viewer.may).toEqual([]);
    // Nor the names of who acted on it, and it may not answer it either.
    expect(asOutsider.handler).toBeNull();
    expect(asOutsider.events.every((e) => e.actor === null)).toBe(true);
    expect(JSON.stringify(asOutsider)).not.toContain('骑手小马');
    const outsiderAccepts = await step(otherGridWorker, id, 'accept');
    expect(outsiderAccepts.statusCode).toBe(403);
    expect(outsiderAccepts.json<Err>().error.code).toBe('not_problem_handler');
    const asWorker = (await worker.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(asWorker.reporter).toBe('骑手小马');
    expect(asWorker.viewer.part).toBe('handler');
    expect(asWorker.viewer.may).toEqual(expect.arrayContaining(['accept', 'decline', 'merge']));
    const asRider = (await rider.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(asRider.reporter).toBe('骑手小马');
    expect(asRider.viewer.part).toBe('follower');
  });

  it('the whole path: accepted, resolved with a note, confirmed — and the rider credited once', async () => {
    const id = await report(rider);
    const accepted = await step(worker, id, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<ProblemView>().status).toBe('accepted');
    expect((await notificationsOf(riderId, 'problem_answered')).length).toBeGreaterThan(0);

    const resolved = await step(worker, id, 'resolve', { note: '已更换井盖' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const view = resolved.json<ProblemView>();
    expect(view.status).toBe('resolved');
    expect(view.events.map((e) => e.kind)).toEqual(['submitted', 'accepted', 'resolved']);

    const before = await t.app.db
      .selectFrom('pointsLedger')
      .select('delta')
      .where('userId', '=', riderId)
      .execute();
    const confirmed = await step(rider, id, 'confirm', { rating: 'satisfied' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json<ProblemView>().status).toBe('confirmed');
    const again = await step(rider, id, 'confirm', { rating: 'satisfied' });
    expect(again.statusCode).toBe(409);
    expect(again.json<Err>().error.code).toBe('problem_moved_on');
    const after = await t.app.db
      .selectFrom('pointsLedger')
      .select(['delta', 'reason', 'problemId'])
      .where('userId', '=', riderId)
      .execute();
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toEqual({
      delta: PROBLEM_POINTS,
      reason: 'problem_report',
      problemId: id,
    });
    // The report says so to its reporter only.
    expect(confirmed.json<ProblemView>().pointsCredited).toBe(PROBLEM_POINTS);
    expect((await worker.get(`/api/problems/${id}`)).json<ProblemView>().pointsCredited).toBeNull();
  });

  it('the rider holds no role, yet sees the points on 我的积分: a ledger is enough', async () => {
    const balance = sum(
      await t.app.db
        .selectFrom('pointsLedger')
        .select('delta')
        .where('userId', '=', riderId)
        .where('communityId', '=', community)
        .execute(),
    );
    expect(balance).toBeGreaterThan(0);
    const mine = await rider.get('/api/me/points');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toEqual([{ community: { id: community, name: '幸福社区' }, balance }]);
    const points = await rider.get(`/api/communities/${community}/points/me`);
    expect(points.statusCode, points.body).toBe(200);
    const shown = points.json<MyPoints>();
    expect(shown.balance).toBe(balance);
    expect(shown.entries[0]).toMatchObject({ delta: PROBLEM_POINTS, reason: 'problem_report' });
    // No role and no ledger there: still refused.
    const stranger = await signedIn(t.app, await newUser(t.app, 'stranger'));
    expect((await stranger.get('/api/me/points')).json()).toEqual([]);
    const refused = await stranger.get(`/api/communities/${community}/points/me`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<Err>().error.code).toBe('not_in_community');
  });

  it('not fixed: the reporter reopens and it is back in hand with a new time limit', async () => {
    const id = await report(rider);
    await step(worker, id, 'accept');
    await step(worker, id, 'resolve', {});
    const reopened = await step(rider, id, 'reopen', { note: '还是松的' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json<ProblemView>().status).toBe('in_hand');
    expect((await notificationsOf(workerId, 'problem_reopened')).length).toBeGreaterThan(0);
  });

  it('refusals are codes: who (403) is told apart from when (409)', async () => {
    const id = await report(rider);
    const byResident = await step(resident, id, 'accept');
    expect(byResident.statusCode).toBe(403);
    expect(byResident.json<Err>().error.code).toBe('not_problem_handler');
    const byWorker = await step(worker, id, 'confirm', { rating: 'satisfied' });
    expect(byWorker.statusCode).toBe(403);
    expect(byWorker.json<Err>().error.code).toBe('not_problem_follower');
    const outside = await rider.post('/api/problems', {
      communityId: community,
      category: 'rubbish',
      description: '别的社区的楼',
      placeId: elsewhere,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json<Err>().error).toMatchObject({
      code: 'place_not_in_community',
      field: 'placeId',
    });
    const declined = await step(worker, id, 'decline', { reason: '不属于本网格' });
    expect(declined.statusCode, declined.body).toBe(200);
    const late = await step(worker, id, 'accept');
    expect(late.statusCode).toBe(409);
    expect(late.json<Err>().error.code).toBe('problem_already_answered');
    const startDeclined = await step(worker, id, 'start', {});
    expect(startDeclined.json<Err>().error.code).toBe('problem_moved_on');
  });

  it('two grid workers accept one report at once: one wins, the other is told it was taken', async () => {
    const second = await newUser(t.app, '第二位网格员');
    await t.app.db
      .insertInto('roleAssignments')
      .values({
        userId: second,
        role: 'grid_worker',
        placeId: await placeId('第一网格'),
        unitId: null,
      })
      .execute();
    const secondWorker = await signedIn(t.app, second);
    for (let round = 0; round < 5; round++) {
      const id = await report(rider);
      const answers = await Promise.all([
        step(worker, id, 'accept'),
        step(secondWorker, id, 'accept'),
      ]);
      const codes = answers.map((a) => a.statusCode).sort();
      expect(codes).toEqual([200, 409]);
      const loser = answers.find((a) => a.statusCode === 409)!;
      expect(loser.json<Err>().error.code).toBe('problem_already_answered');
      const row = await t.app.db
        .selectFrom('problemEvents')
        .select('kind')
        .where('problemId', '=', id)
        .where('kind', '=', 'accepted')
        .execute();
      expect(row.length).toBe(1);
    }
  });

  it('50 duplicates merged into one at once: every reporter follows the one that stays', async () => {
    const main = await report(rider, { category: 'broken_facility', description: '楼道灯坏了' });
    const reporters = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const id = await newUser(t.app, `邻居${i}`);
        return { id, client: await signedIn(t.app, id) };
      }),
    );
    const duplicates = await Promise.all(
      reporters.map((r) =>
        report(r.client, { category: 'broken_facility', description: '楼道灯不亮' }),
      ),
    );
    const merged = await Promise.all(
      duplicates.map((d) => step(worker, d, 'merge', { into: main })),
    );
    expect(merged.map((m) => m.statusCode)).toEqual(merged.map(() => 200));
    const followers = await t.app.db
      .selectFrom('problemFollowers')
      .select('userId')
      .where('problemId', '=', main)
      .execute();
    expect(new Set(followers.map((f) => f.userId))).toEqual(
      new Set([riderId, ...reporters.map((r) => r.id)]),
    );
    const view = (await resident.get(`/api/problems/${main}`)).json<ProblemView>();
    expect(view.followers).toBe(51);
    // And crossing merges queue rather than deadlock: one wins, the other meets a merged report.
    const a = await report(rider, { category: 'rubbish', description: 'A' });
    const b = await report(rider, { category: 'rubbish', description: 'B' });
    const crossed = await Promise.all([
      step(worker, a, 'merge', { into: b }),
      step(secretary, b, 'merge', { into: a }),
    ]);
    expect(crossed.map((c) => c.statusCode).sort()).toEqual([200, 409]);
  });

  it('overdue reports escalate to the secretary once, however many sweeps run', async () => {
    const id = await report(rider, { description: '电线裸露' });
    now += 3 * HOUR; // a safety hazard is answered within 2 hours
    const sweeps = await Promise.all([escalateOverdue(t.app), escalateOverdue(t.app)]);
    expect(sweeps.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await escalateOverdue(t.app);
    const told = (await notificationsOf(secretaryId, 'problem_escalated')).filter(
      (n) => n.link === `/problems/${id}`,
    );
    expect(told.length).toBe(1);
    const view = (await resident.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(view).toMatchObject({ overdue: true, escalated: true });
    expect(view.events.filter((e) => e.kind === 'escalated').length).toBe(1);
  });

  it('suggests open reports of the same kind nearby before one is sent', async () => {
    const id = await report(rider, { category: 'stray_animals', description: '流浪狗' });
    const similar = (
      await resident.get(
        `/api/problems/similar?communityId=${community}&category=stray_animals&placeId=${await placeId('阳光花园')}`,
      )
    ).json<ProblemList>();
    expect(similar.items.map((s) => s.id)).toContain(id);
  });
});
