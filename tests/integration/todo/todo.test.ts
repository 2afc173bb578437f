import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TodoEntry, TodoView } from '@tongxin/shared/todo/todo.schemas';
import { chinaDay, DAY_MS, fromChinaLocal } from '@tongxin/shared/time/china';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';
import { signedIn } from '../../support/people.ts';
import { userIdOf } from '../../support/demo-ids.ts';

/*
 * 待办 on the demo district: each role sees what waits on them and nothing of anyone
 * else's queue; a change (a topic raised, a report accepted, a new report) shows on the
 * next request.
 */

let t: TestApp;
/** Statements the app ran while `counting`. */
let counting = false;
const statements: string[] = [];
const clients = new Map<string, TestClient>();

const idOf = (username: string) => userIdOf(t.app.db, username);

async function as(username: string) {
  let client = clients.get(username);
  if (!client) {
    client = await signedIn(t.app, await idOf(username));
    clients.set(username, client);
  }
  return client;
}

async function todoOf(username: string): Promise<TodoView> {
  const res = await (await as(username)).get('/api/todo');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TodoView>();
}

const kinds = (view: TodoView) => new Set(view.entries.map((e) => e.kind));
const ofKind = (view: TodoView, kind: TodoEntry['kind']) =>
  view.entries.filter((e) => e.kind === kind);

async function roundtableId(title: string) {
  const row = await t.app.db
    .selectFrom('roundtables')
    .select('id')
    .where('title', '=', title)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function problemId(startsWith: string) {
  const row = await t.app.db
    .selectFrom('problemReports')
    .select('id')
    .where('description', 'like', `${startsWith}%`)
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  t = await buildTestApp({
    demo: true,
    onQuery: (sql) => {
      if (counting) statements.push(sql);
    },
  });
});
afterAll(async () => t?.close());

describe('GET /api/todo', () => {
  it('asks who is asking', async () => {
    const res = await new TestClient(t.app).get('/api/todo');
    expect(res.statusCode).toBe(401);
  });

  it('gives the secretary the live meeting, the queues and the reports that wait on them', async () => {
    const view = await todoOf('secretary');
    const live = ofKind(view, 'meeting_live');
    expect(live.map((e) => e.title)).toEqual(['电动车充电难']);
    expect(live[0]!.href).toMatch(/^\/roundtables\/[0-9a-f-]+\/console$/);
    const screening = ofKind(view, 'screen_topics');
    expect(screening).toHaveLength(1);
    // The demo's topic waiting to be screened and the one raised from a 随手拍 report.
    expect(screening[0]).toMatchObject({ title: '阳光花园停车与电动车充电', count: 2 });
    expect(screening[0]!.href).toBe(
      `/roundtables/${await roundtableId('阳光花园停车与电动车充电')}/console`,
    );
    for (const kind of ['review_wishes', 'review_members', 'confirm_deliveries'] as const) {
      const [e] = ofKind(view, kind);
      expect(e, kind).toBeDefined();
      expect(e!.count).toBeGreaterThan(0);
      expect(e!.href).toMatch(/^\/double-report\/review\?c=/);
    }
    // The escalated manhole cover, overdue, first of all.
    const manhole = await problemId('阳光花园 1 号楼东侧井盖');
    expect(view.entries[0]).toMatchObject({
      kind: 'handle_problem',
      href: `/problems/${manhole}`,
      urgency: 'overdue',
      escalated: true,
    });
    // A fresh report in a grid with its own worker is the grid worker's, not the secretary's.
    const flying = await problemId('2 号楼楼道里有人拉飞线');
    expect(view.entries.some((e) => e.href === `/problems/${flying}`)).toBe(false);
    expect(view.watch.problems).toHaveLength(1);
    expect(view.watch.rooms.length).toBeGreaterThan(0);
  });

  it('lists overdue first, then soon, then the rest', async () => {
    for (const who of ['secretary', 'gridworker', 'unitrep']) {
      const order = (await todoOf(who)).entries.map((e) => e.urgency);
      const rank = order.map((u) => ['overdue', 'soon', 'normal'].indexOf(u));
      expect(rank, who).toEqual([...rank].sort((a, b) => a - b));
    }
  });

  it('gives a resident no one else’s queue: no screening, no reviews, no reports to handle', async () => {
    const view = await todoOf('resident');
    for (const kind of ['screen_topics', 'review_wishes', 'review_members', 'handle_problem'])
      expect(kinds(view).has(kind as TodoEntry['kind']), kind).toBe(false);
    const live = ofKind(view, 'meeting_live');
    expect(live).toHaveLength(1);
    expect(live[0]!.href).toMatch(/^\/roundtables\/[0-9a-f-]+$/);
    // Their own micro-wish was delivered: theirs to confirm, on the item's page.
    const [delivery] = ofKind(view, 'confirm_deliveries');
    expect(delivery).toMatchObject({ title: '一副老花镜', count: null });
    expect(delivery!.href).toMatch(/^\/double-report\/items\//);
    expect(ofKind(view, 'rate_items')[0]?.count).toBeGreaterThan(0);
    expect(view.watch.problems).toEqual([]);
  });

  it('gives each grid worker the reports of their own grid only', async () => {
    const first = await todoOf('gridworker');
    const second = await todoOf('gridworker2');
    const manhole = await problemId('阳光花园 1 号楼东侧井盖');
    const flying = await problemId('2 号楼楼道里有人拉飞线');
    const rubbish = await problemId('玻璃厂小区南门垃圾桶');
    const hrefs = ofKind(first, 'handle_problem').map((e) => e.href);
    expect(hrefs).toEqual([`/problems/${manhole}`, `/problems/${flying}`]);
    expect(hrefs).not.toContain(`/problems/${rubbish}`);
    expect(ofKind(second, 'handle_problem')).toEqual([]);
    // No roundtable queue for a grid worker.
    expect(kinds(first).has('screen_topics')).toBe(false);
  });

  it('gives a unit representative and a party member their claims in progress', async () => {
    const rep = ofKind(await todoOf('unitrep'), 'my_claim');
    expect(rep.map((e) => e.title)).toContain('阳光花园电动车充电棚建设');
    expect(rep.find((e) => e.title === '阳光花园电动车充电棚建设')).toMatchObject({
      urgency: 'overdue',
      state: 'in_progress',
    });
    const member = ofKind(await todoOf('member'), 'my_claim');
    expect(member.map((e) => e.title)).toEqual(['想学用智能手机挂号']);
    expect(ofKind(await todoOf('resident'), 'my_claim')).toEqual([]);
  });

  it('gives the owner of an action item their item, and a reporter the answer to confirm', async () => {
    const [item] = ofKind(await todoOf('leader'), 'my_action_item');
    expect(item).toMatchObject({ title: '跟进路灯维修进度并向居民通报', state: 'in_progress' });
    const [answered] = ofKind(await todoOf('volunteer'), 'problem_answered');
    expect(answered!.href).toBe(`/problems/${await problemId('阳光花园 3 号楼门口路灯')}`);
    expect((await todoOf('rider')).entries.map((e) => e.kind)).toEqual(
      ['handle_problem'].slice(0, 0),
    );
  });

  it('shows the activities I hold a place on tomorrow, not those I wait for', async () => {
    const volunteer = await idOf('volunteer');
    const resident = await idOf('resident');
    const community = await t.app.db
      .selectFrom('places')
      .select('id')
      .where('name', '=', '幸福社区')
      .executeTakeFirstOrThrow();
    const tomorrow = new Date(
      fromChinaLocal(chinaDay(new Date())).getTime() + DAY_MS + 10 * 3600_000,
    );
    const activity = await t.app.db
      .insertInto('activities')
      .values({
        communityId: community.id,
        title: '明早巡河',
        place: '河边',
        startsAt: tomorrow,
        endsAt: new Date(tomorrow.getTime() + 2 * 3600_000),
        capacity: 1,
        confirmedCount: 1,
        signupSeq: 2,
        checkinCode: 'todo-test-code',
        createdBy: await idOf('leader'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.app.db
      .insertInto('signups')
      .values([
        { activityId: activity.id, userId: volunteer, status: 'confirmed', arrival: 1 },
        { activityId: activity.id, userId: resident, status: 'waitlisted', arrival: 2 },
      ])
      .execute();
    const [mine] = ofKind(await todoOf('volunteer'), 'activity_tomorrow').filter(
      (e) => e.title === '明早巡河',
    );
    expect(mine).toMatchObject({ href: `/teams/activities/${activity.id}` });
    expect(ofKind(await todoOf('resident'), 'activity_tomorrow').map((e) => e.title)).not.toContain(
      '明早巡河',
    );
  });

  it('follows changes: a topic raised, a report accepted, a new report in one grid', async () => {
    const raising = await roundtableId('阳光花园停车与电动车充电');
    const before = ofKind(await todoOf('secretary'), 'screen_topics')[0]?.count ?? 0;
    const raised = await (
      await as('resident')
    ).post(`/api/roundtables/${raising}/topics`, {
      title: '地库照明不够',
      category: 'parking',
    });
    expect(raised.statusCode, raised.body).toBe(201);
    expect(ofKind(await todoOf('secretary'), 'screen_topics')[0]?.count).toBe(before + 1);

    const manhole = await problemId('阳光花园 1 号楼东侧井盖');
    const accepted = await (await as('gridworker')).post(`/api/problems/${manhole}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const entry = ofKind(await todoOf('gridworker'), 'handle_problem').find(
      (e) => e.href === `/problems/${manhole}`,
    );
    expect(entry?.state).toBe('accepted');

    const building = await t.app.db
      .selectFrom('places as b')
      .innerJoin('places as c', 'c.id', 'b.parentId')
      .select(['b.id', 'c.parentId as communityId'])
      .where('b.name', '=', '3号楼')
      .where('c.name', '=', '阳光花园')
      .executeTakeFirstOrThrow();
    const sent = await (
      await as('rider')
    ).post('/api/problems', {
      communityId: building.communityId,
      category: 'rubbish',
      description: '3 号楼门口的垃圾桶倒了',
      placeId: building.id,
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const id = sent.json<{ id: string }>().id;
    const seen = (who: string) =>
      todoOf(who).then((v) => v.entries.some((e) => e.href === `/problems/${id}`));
    expect(await seen('gridworker')).toBe(true);
    expect(await seen('gridworker2')).toBe(false);
    expect(await seen('resident')).toBe(false);
  });

  it('costs the same few statements however much waits (no statement per record)', async () => {
    const cost = async (who: string) => {
      const client = await as(who);
      statements.length = 0;
      counting = true;
      const res = await client.get('/api/todo');
      counting = false;
      expect(res.statusCode).toBe(200);
      return { n: statements.length, entries: res.json<TodoView>().entries.length };
    };
    const before = await cost('secretary');
    // Five more topics to screen and five more reports without a grid worker's grid.
    const raising = await roundtableId('阳光花园停车与电动车充电');
    const community = await t.app.db
      .selectFrom('places')
      .select('id')
      .where('name', '=', '幸福社区')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 5; i++) {
      const topic = await (
        await as('resident2')
      ).post(`/api/roundtables/${raising}/topics`, {
        title: `第 ${i} 个新议题`,
        category: 'other',
      });
      expect(topic.statusCode, topic.body).toBe(201);
      const report = await (
        await as('resident2')
      ).post('/api/problems', {
        communityId: community.id,
        category: 'other',
        description: `没有楼栋的第 ${i} 个问题`,
        location: '社区服务中心门口',
      });
      expect(report.statusCode, report.body).toBe(201);
    }
    const after = await cost('secretary');
    expect(after.entries).toBeGreaterThan(before.entries);
    expect(after.n).toBe(before.n);
    expect(after.n).toBeLessThanOrEqual(16);
  });
});
