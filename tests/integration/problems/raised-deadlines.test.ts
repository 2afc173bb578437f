import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemView } from '@tongxin/shared/problems/problems.schemas';
import type { TodoView } from '@tongxin/shared/todo/todo.schemas';
import { dueProblems } from '@tongxin/db/reminders/reminders.queries';
import { escalateOverdue } from '@tongxin/server/problems/escalation';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import type { TestClient } from '../../support/http.ts';
import { signedIn } from '../../support/people.ts';
import { userIdOf, placeIdOf } from '../../support/demo-ids.ts';

// A report raised to a roundtable sits there under the roundtable's process (its action
// items carry their own deadlines): its own time limits no longer run. Not overdue on its
// page or the lists, not escalated by the sweep, no due/overdue reminder, and not overdue on
// its handler's or the secretary's 待办 — while a report beside it, not raised, is all of those.

let t: TestApp;
let now = Date.now();
const HOUR = 3600_000;

let rider: TestClient;
let worker: TestClient;
let secretary: TestClient;
let secretaryId: string;
let community: string;
let building1: string;
let raising: string;

const idOf = (username: string) => userIdOf(t.app.db, username);

const placeId = (name: string, parent?: string) => placeIdOf(t.app.db, name, parent);

async function report(description: string) {
  const res = await rider.post('/api/problems', {
    communityId: community,
    category: 'safety_hazard', // answered within 2 hours, resolved within 2 days
    description,
    placeId: building1,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function raise(id: string) {
  const res = await worker.post(`/api/problems/${id}/raise`, { roundtableId: raising });
  expect(res.statusCode, res.body).toBe(200);
}

const view = async (id: string) => (await rider.get(`/api/problems/${id}`)).json<ProblemView>();

async function todoOf(client: TestClient, id: string) {
  const res = await client.get('/api/todo');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TodoView>().entries.find((e) => e.href === `/problems/${id}`);
}

async function escalations(id: string) {
  const rows = await t.app.db
    .selectFrom('notifications')
    .select('id')
    .where('userId', '=', secretaryId)
    .where('kind', '=', 'problem_escalated')
    .where('link', '=', `/problems/${id}`)
    .execute();
  return rows.length;
}

beforeAll(async () => {
  t = await buildTestApp({ demo: true, now: () => new Date(now) });
  secretaryId = await idOf('secretary');
  rider = await signedIn(t.app, await idOf('rider'));
  worker = await signedIn(t.app, await idOf('gridworker'));
  secretary = await signedIn(t.app, secretaryId);
  community = await placeId('幸福社区');
  building1 = await placeId('1号楼', await placeId('阳光花园'));
  const row = await t.app.db
    .selectFrom('roundtables')
    .select('id')
    .where('title', '=', '阳光花园停车与电动车充电')
    .executeTakeFirstOrThrow();
  raising = row.id;
}, 120_000);
afterAll(() => t.close());

describe('a report at the roundtable: its own deadlines do not run', () => {
  it('unanswered past its respond-by: the raised one is neither overdue nor escalated nor reminded', async () => {
    const raised = await report('1 号楼地下室电线裸露，已提交圆桌会');
    const plain = await report('1 号楼楼梯间电线裸露，没人管');
    await raise(raised);
    now += 3 * HOUR;
    await escalateOverdue(t.app);

    expect(await view(raised)).toMatchObject({ overdue: false, escalated: false });
    expect(await view(plain)).toMatchObject({ overdue: true, escalated: true });
    expect(await escalations(raised)).toBe(0);
    expect(await escalations(plain)).toBe(1);
    const listed = (await rider.get(`/api/problems?communityId=${community}`)).json<{
      items: Array<{ id: string; overdue: boolean }>;
    }>().items;
    expect(listed.find((p) => p.id === raised)?.overdue).toBe(false);

    const due = (await dueProblems(t.app.db, new Date(now))).map((d) => d.id);
    expect(due).toContain(plain);
    expect(due).not.toContain(raised);

    // Still on its grid worker's list (it is theirs to close once the roundtable's work is
    // done), but with no deadline and not overdue; the plain one is overdue.
    const atRoundtable = await todoOf(worker, raised);
    expect(atRoundtable).toMatchObject({ urgency: 'normal', due: null });
    expect((await todoOf(worker, plain))?.urgency).toBe('overdue');
    // The secretary is not told of it (not escalated, not overdue); of the plain one, yes.
    expect(await todoOf(secretary, raised)).toBeUndefined();
    expect((await todoOf(secretary, plain))?.urgency).toBe('overdue');
  });

  it('accepted, then raised: past its resolve-by it is still not overdue', async () => {
    const id = await report('3 号楼消防通道堆满杂物');
    const accepted = await worker.post(`/api/problems/${id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    await raise(id);
    now += 3 * 24 * HOUR;
    await escalateOverdue(t.app);
    expect(await view(id)).toMatchObject({ status: 'accepted', overdue: false, escalated: false });
    expect(await escalations(id)).toBe(0);
    expect((await dueProblems(t.app.db, new Date(now))).map((d) => d.id)).not.toContain(id);
    expect((await todoOf(worker, id))?.urgency).toBe('normal');
  });
});
