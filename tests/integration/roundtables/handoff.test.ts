import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomDoc } from '@tongxin/shared/live/documents';
import type { HandoffOrigin } from '@tongxin/shared/roundtables/handoff.schemas';
import type { RoomItem, RoomState } from '@tongxin/shared/roundtables/floor.schemas';
import { projectRoom } from '@tongxin/server/roundtables/room';
import { onRealPostgres } from '../../support/database.ts';
import type { TestClient } from '../../support/http.ts';
import { residents, signedIn } from '../../support/people.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { reportedUnits } from '../double-report/setup.ts';
import { meetingWorld, ok, userIdOf, type MeetingWorld } from '../../support/meeting-world.ts';

let t: LiveTestApp;

beforeAll(async () => {
  t = await startLiveApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
}, 60_000);
afterAll(() => t.close());

const codeOf = (res: { json: () => unknown }) =>
  (res.json() as { error: { code: string } }).error.code;

/** A meeting in 办事 with a resolution, four residents checked in (they rate). */
async function actWorld(): Promise<MeetingWorld> {
  const w = await meetingWorld(t.app, 4);
  for (const p of w.people) ok(await p.client.post(`/api/roundtables/${w.id}/attend`, {}));
  ok(
    await w.chair.post(`/api/topics/${w.topicId}/resolution`, { text: '硬化玻璃厂小区道路' }),
    201,
  );
  ok(await w.chair.post(`/api/roundtables/${w.id}/advance`, { from: 'discuss' }));
  return w;
}

async function assign(w: MeetingWorld, ownerKind: 'unit' | 'team' | 'person', ownerId: string) {
  return ok<{ id: string }>(
    await w.chair.post(`/api/topics/${w.topicId}/action-items`, {
      title: '硬化道路',
      ownerKind,
      ownerId,
      deadline: '2027-03-31',
    }),
    201,
  ).id;
}

async function itemRow(id: string) {
  return t.app.db
    .selectFrom('actionItems')
    .select(['status', 'round'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function roomItem(w: MeetingWorld, id: string): Promise<RoomItem> {
  const room = await projectRoom(t.app.db, w.id);
  return room!.room.items.find((i) => i.id === id)!;
}

/** A team of the community, led by a resident. */
async function team(w: MeetingWorld) {
  const [leader] = await residents(t.app, w.community, 1, '队长');
  const row = await t.app.db
    .insertInto('teams')
    .values({
      communityId: w.community,
      name: `互助队${Math.random().toString(36).slice(2, 7)}`,
      kind: 'mutual_aid',
      customKind: null,
      createdBy: leader!.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.app.db
    .insertInto('teamMembers')
    .values({ teamId: row.id, userId: leader!.userId, role: 'leader', status: 'active' })
    .execute();
  return { teamId: row.id, leader: leader!.client };
}

async function rateAll(w: MeetingWorld, itemId: string, rating: string) {
  for (const p of w.people.slice(0, 3))
    ok(await p.client.post(`/api/action-items/${itemId}/ratings`, { rating }), 201);
}

const db = onRealPostgres() ? 'real Postgres' : 'PGlite';

describe(`action items handed on (${db})`, () => {
  it('project: a unit claims and delivers, the community confirms; the item is done, then reopened by 不满意', async () => {
    const w = await actWorld();
    const [unit] = await reportedUnits(t.app, w.community, 1);
    const itemId = await assign(w, 'unit', unit!.unitId);

    // The item's room is watched live: the handoff and the claim show as they happen.
    const live = connect(t.wsUrl, roomDoc(w.id), {
      cookie: w.people[0]!.client.cookie!,
      origin: t.origin,
    });
    const liveItem = () =>
      (live.doc.getMap('room').get('items') as RoomState['items'] | undefined)?.find(
        (i) => i.id === itemId,
      );
    await waitFor(() => live.provider.synced && liveItem() !== undefined, 'room synced');

    const { id: projectId } = ok<{ id: string }>(
      await w.chair.post(`/api/action-items/${itemId}/handoff/project`, {
        title: '硬化玻璃厂小区道路',
        description: '圆桌会议决议',
        dueAt: '2027-03-31T00:00:00.000Z',
      }),
      201,
    );
    await waitFor(() => liveItem()?.handoff?.state === 'open', 'handoff shows live');
    expect(liveItem()!.handoff).toMatchObject({ kind: 'project', id: projectId });

    // The project's page leads back to the resolution.
    const origin = ok<HandoffOrigin>(
      await unit!.client.get(`/api/claim-items/${projectId}/origin`),
    );
    expect(origin.origin).toMatchObject({
      roundtableId: w.id,
      itemId,
      resolution: '硬化玻璃厂小区道路',
      itemStatus: 'pending',
    });

    const { id: claimId } = ok<{ id: string }>(
      await unit!.client.post(`/api/claim-items/${projectId}/claims`, { unitId: unit!.unitId }),
      201,
    );
    await waitFor(() => liveItem()?.handoff?.state === 'claimed', 'claim shows live');
    ok(await unit!.client.post(`/api/claims/${claimId}/deliver`, { note: '道路已硬化，附验收单' }));
    await waitFor(() => liveItem()?.handoff?.state === 'delivered', 'delivery shows live');
    expect(liveItem()!.lastUpdate?.note).toBe('道路已硬化，附验收单');
    expect(liveItem()!.status).toBe('in_progress');

    // Not done until the community confirms.
    expect((await itemRow(itemId)).status).toBe('in_progress');
    ok(await w.chair.post(`/api/claims/${claimId}/confirm`, { rating: 5, comment: '验收合格' }));
    expect(await itemRow(itemId)).toEqual({ status: 'done', round: 1 });
    const done = await roomItem(w, itemId);
    expect(done.handoff?.state).toBe('confirmed');
    expect(done.lastUpdate?.note).toBe('验收合格');
    await waitFor(() => liveItem()?.status === 'done', 'done shows live');
    live.provider.destroy();

    // 评事: 不满意 leads → the item is back in 办事, round 2, and the claim in progress again.
    await rateAll(w, itemId, 'dissatisfied');
    expect(await itemRow(itemId)).toEqual({ status: 'in_progress', round: 2 });
    const claim = await t.app.db
      .selectFrom('claims')
      .select(['status', 'rating', 'confirmedAt'])
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow();
    expect(claim).toEqual({ status: 'in_progress', rating: null, confirmedAt: null });
    const project = await t.app.db
      .selectFrom('claimItems')
      .select('status')
      .where('id', '=', projectId)
      .executeTakeFirstOrThrow();
    expect(project.status).toBe('open');
    expect((await roomItem(w, itemId)).handoff?.state).toBe('in_progress');
    const reopened = await t.app.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'item.reopen')
      .where('targetId', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(reopened.details).toMatchObject({ round: 1, claims: [claimId] });

    // The unit delivers again, the community confirms: done in round 2, rated afresh.
    ok(await unit!.client.post(`/api/claims/${claimId}/deliver`, { note: '返工完成' }));
    ok(await w.chair.post(`/api/claims/${claimId}/confirm`, { rating: 4 }));
    expect(await itemRow(itemId)).toEqual({ status: 'done', round: 2 });
    ok(
      await w.people[0]!.client.post(`/api/action-items/${itemId}/ratings`, {
        rating: 'satisfied',
      }),
      201,
    );
  });

  it('activity: the team completes it, the item is done; 不满意 reopens the activity', async () => {
    const w = await actWorld();
    const { teamId, leader } = await team(w);
    const itemId = await assign(w, 'team', teamId);
    const startsAt = new Date(Date.now() - 60_000);
    const { id: activityId } = ok<{ id: string }>(
      await w.chair.post(`/api/action-items/${itemId}/handoff/activity`, {
        title: '清理楼道杂物',
        place: '3 号楼',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        capacity: 10,
      }),
      201,
    );
    const row = await t.app.db
      .selectFrom('activities')
      .select(['teamId', 'actionItemId', 'communityId'])
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ teamId, actionItemId: itemId, communityId: w.community });
    expect((await roomItem(w, itemId)).handoff).toMatchObject({
      kind: 'activity',
      id: activityId,
      state: 'scheduled',
    });
    const origin = ok<HandoffOrigin>(await leader.get(`/api/activities/${activityId}/origin`));
    expect(origin).toMatchObject({ origin: { itemId, roundtableId: w.id }, canComplete: true });
    // A resident who does not lead the team may not report it done.
    const notLeader = await w.people[0]!.client.post(`/api/activities/${activityId}/complete`, {
      note: '完成',
    });
    expect(codeOf(notLeader)).toBe('not_team_manager');

    ok(await leader.post(`/api/activities/${activityId}/complete`, { note: '清出杂物两车' }));
    expect(await itemRow(itemId)).toEqual({ status: 'done', round: 1 });
    expect((await roomItem(w, itemId)).handoff?.state).toBe('completed');
    expect((await roomItem(w, itemId)).lastUpdate?.note).toBe('清出杂物两车');
    expect(
      codeOf(await leader.post(`/api/activities/${activityId}/complete`, { note: '再来' })),
    ).toBe('activity_already_completed');

    await rateAll(w, itemId, 'dissatisfied');
    expect(await itemRow(itemId)).toEqual({ status: 'in_progress', round: 2 });
    expect((await roomItem(w, itemId)).handoff?.state).toBe('scheduled');
    ok(await leader.post(`/api/activities/${activityId}/complete`, { note: '复查后补清' }));
    expect(await itemRow(itemId)).toEqual({ status: 'done', round: 2 });
  });

  it('an item whose activity was cancelled is handed on again; the new activity is the one shown', async () => {
    const w = await actWorld();
    const { teamId, leader } = await team(w);
    const itemId = await assign(w, 'team', teamId);
    const activity = (title: string) => ({
      title,
      place: '3 号楼',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 90_000_000).toISOString(),
      capacity: 10,
    });
    const handOn = (title: string) =>
      w.chair.post(`/api/action-items/${itemId}/handoff/activity`, activity(title));
    const first = ok<{ id: string }>(await handOn('清理楼道杂物'), 201);
    expect(codeOf(await handOn('再发一次'))).toBe('item_already_handed_on');

    ok(await leader.post(`/api/activities/${first.id}/cancel`, {}));
    expect((await roomItem(w, itemId)).handoff).toMatchObject({
      id: first.id,
      state: 'cancelled',
    });
    const second = ok<{ id: string }>(await handOn('改期清理楼道杂物'), 201);
    expect((await roomItem(w, itemId)).handoff).toMatchObject({
      kind: 'activity',
      id: second.id,
      state: 'scheduled',
    });
    // Handed on again, once: the live activity holds it as the first did.
    expect(codeOf(await handOn('第三次'))).toBe('item_already_handed_on');
    const rows = await t.app.db
      .selectFrom('activities')
      .select(['id', 'status'])
      .where('actionItemId', '=', itemId)
      .orderBy('createdAt')
      .execute();
    expect(rows).toEqual([
      { id: first.id, status: 'cancelled' },
      { id: second.id, status: 'scheduled' },
    ]);
  });

  it('refuses with codes: owner kind, a person’s item, twice, a done item, not the chair', async () => {
    const w = await actWorld();
    const [unit] = await reportedUnits(t.app, w.community, 1);
    const { teamId } = await team(w);
    const unitItem = await assign(w, 'unit', unit!.unitId);
    const teamItem = await assign(w, 'team', teamId);
    const personItem = await assign(w, 'person', w.people[0]!.userId);
    const project = { title: '项目' };
    const activity = {
      title: '活动',
      place: '广场',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 90_000_000).toISOString(),
      capacity: 5,
    };
    const post = (c: TestClient, id: string, kind: string, body: object) =>
      c.post(`/api/action-items/${id}/handoff/${kind}`, body);

    expect(codeOf(await post(w.chair, unitItem, 'activity', activity))).toBe(
      'handoff_needs_team_owner',
    );
    expect(codeOf(await post(w.chair, teamItem, 'project', project))).toBe(
      'handoff_needs_unit_owner',
    );
    expect(codeOf(await post(w.chair, personItem, 'project', project))).toBe(
      'person_item_not_handed_on',
    );
    expect((await post(w.people[0]!.client, unitItem, 'project', project)).statusCode).toBe(403);
    expect(
      codeOf(await post(w.chair, teamItem, 'activity', { ...activity, endsAt: activity.startsAt })),
    ).toBe('ends_before_start');

    ok(await post(w.chair, unitItem, 'project', project), 201);
    expect(codeOf(await post(w.chair, unitItem, 'project', project))).toBe(
      'item_already_handed_on',
    );

    // A done item is not handed on; an activity not from a roundtable is not "completed".
    ok(
      await w.chair.post(`/api/action-items/${teamItem}/updates`, { note: '已办', status: 'done' }),
      201,
    );
    expect(codeOf(await post(w.chair, teamItem, 'activity', activity))).toBe('item_already_done');
    const plain = ok<{ id: string }>(
      await w.chair.post(`/api/communities/${w.community}/activities`, {
        ...activity,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
      }),
      201,
    );
    expect(codeOf(await w.chair.post(`/api/activities/${plain.id}/complete`, { note: 'x' }))).toBe(
      'activity_not_handed_on',
    );
  });

  it('two publishes at once: one wins, the other is refused, one project', async () => {
    const w = await actWorld();
    const [unit] = await reportedUnits(t.app, w.community, 1);
    const itemId = await assign(w, 'unit', unit!.unitId);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        w.chair.post(`/api/action-items/${itemId}/handoff/project`, { title: `项目${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(codeOf(a)).toBe('item_already_handed_on');
    const rows = await t.app.db
      .selectFrom('claimItems')
      .select('id')
      .where('actionItemId', '=', itemId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('demo: the street-light project 区城市管理局 delivered awaits confirmation; confirming it makes the item done', async () => {
    const secretary = await signedIn(t.app, await userIdOf(t.app, 'secretary'));
    const item = await t.app.db
      .selectFrom('actionItems')
      .select(['id', 'roundtableId', 'status'])
      .where('title', '=', '更换2号楼至大门段路灯灯杆')
      .executeTakeFirstOrThrow();
    expect(item.status).toBe('in_progress');
    const room = await projectRoom(t.app.db, item.roundtableId);
    const shown = room!.room.items.find((i) => i.id === item.id)!;
    expect(shown.handoff).toMatchObject({
      kind: 'project',
      state: 'delivered',
      claimant: '区城市管理局',
    });
    const claim = await t.app.db
      .selectFrom('claims as c')
      .innerJoin('claimItems as i', 'i.id', 'c.itemId')
      .select('c.id')
      .where('i.actionItemId', '=', item.id)
      .executeTakeFirstOrThrow();
    ok(await secretary.post(`/api/claims/${claim.id}/confirm`, { rating: 5 }));
    expect((await itemRow(item.id)).status).toBe('done');
  });
});
