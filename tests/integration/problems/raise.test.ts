import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ProblemList,
  ProblemView,
  RaiseTargets,
} from '@tongxin/shared/problems/problems.schemas';
import type { MyRoundtableWork } from '@tongxin/shared/roundtables/floor.schemas';
import type { ResultView } from '@tongxin/shared/roundtables/result.schemas';
import type { RoundtableView } from '@tongxin/shared/roundtables/roundtable.schemas';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../../support/app.ts';
import type { TestClient } from '../../support/http.ts';
import { newUser, signedIn } from '../../support/people.ts';
import { userIdOf, placeIdOf } from '../../support/demo-ids.ts';

// 提交圆桌会议: a 随手拍 report raised to a roundtable topic in one step, with its photos, its
// reporters as co-signers and a link both ways. Runs on the embedded database and, with
// TEST_DATABASE_URL, on a real PostgreSQL (where the double raise really runs side by side).

let t: TestApp;
let resident: TestClient;
let resident2: TestClient;
let worker: TestClient;
let otherWorker: TestClient;
let secretary: TestClient;
let residentId: string;
let resident2Id: string;
let workerId: string;
let community: string;
let building1: string;
/** 阳光花园停车与电动车充电, in 提事. */
let raising: string;
/** 玻璃厂小区路灯维修, in 办事. */
let acting: string;
/** A roundtable of 和平社区, in 提事. */
let elsewhere: string;

type Err = { error: { code: string } };

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const idOf = (username: string) => userIdOf(t.app.db, username);

const placeId = (name: string, parent?: string) => placeIdOf(t.app.db, name, parent);

async function roundtableId(title: string) {
  const row = await t.app.db
    .selectFrom('roundtables')
    .select('id')
    .where('title', '=', title)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function upload(client: TestClient): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/photos',
    headers: { origin: TEST_ORIGIN, 'content-type': 'image/png', cookie: client.cookie! },
    payload: PNG,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function report(client: TestClient, extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/problems', {
    communityId: community,
    category: 'parking',
    description: '2 号楼楼道口有车长期占道停放',
    placeId: building1,
    location: '2 单元楼道',
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const raise = (client: TestClient, id: string, roundtable: string) =>
  client.post(`/api/problems/${id}/raise`, { roundtableId: roundtable });

function refused(res: Awaited<ReturnType<typeof raise>>, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json<Err>().error.code).toBe(code);
}

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  [residentId, resident2Id, workerId] = await Promise.all([
    idOf('resident'),
    idOf('resident2'),
    idOf('gridworker'),
  ]);
  resident = await signedIn(t.app, residentId);
  resident2 = await signedIn(t.app, resident2Id);
  worker = await signedIn(t.app, workerId);
  otherWorker = await signedIn(t.app, await idOf('gridworker2'));
  secretary = await signedIn(t.app, await idOf('secretary'));
  community = await placeId('幸福社区');
  building1 = await placeId('1号楼', await placeId('阳光花园'));
  raising = await roundtableId('阳光花园停车与电动车充电');
  acting = await roundtableId('玻璃厂小区路灯维修');
  const other = await t.app.db
    .insertInto('roundtables')
    .values({
      placeId: await placeId('和平社区'),
      title: '和平里楼道整治',
      localName: '和平议事会',
      location: '和平社区居委会',
      startsAt: new Date(Date.now() + 86_400_000),
      chairId: await idOf('secretary'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  elsewhere = other.id;
}, 120_000);
afterAll(() => t.close());

describe('随手拍 → 圆桌会: raising a report to a roundtable', () => {
  it('the demo has a report already raised to the roundtable collecting topics (提事)', async () => {
    const list = (await resident.get(`/api/problems?communityId=${community}`)).json<ProblemList>();
    const raised = list.items.filter((p) => p.raised);
    expect(raised.map((p) => p.raised!.roundtableId)).toEqual([raising]);
    const rt = (await resident.get(`/api/roundtables/${raising}`)).json<RoundtableView>();
    const topic = rt.topics.find((x) => x.id === raised[0]!.raised!.topicId)!;
    expect(topic.fromProblemId).toBe(raised[0]!.id);
    expect(topic.status).toBe('submitted');
    expect(topic.cosignCount).toBe(2);
    expect(topic.photoIds.length).toBe(raised[0]!.photoIds.length);
    expect(topic.photoIds.length).toBe(1);
  });

  it('offers its handler the roundtables of the community that take topics now, and nobody else', async () => {
    const id = await report(resident);
    const asWorker = (await worker.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(asWorker.viewer.may).toContain('raise');
    const targets = await worker.get(`/api/problems/${id}/roundtables`);
    expect(targets.statusCode, targets.body).toBe(200);
    const ids = targets.json<RaiseTargets>().items.map((r) => r.id);
    // Those collecting topics (提事) first; a meeting under way (议事) takes them too.
    expect(ids[0]).toBe(raising);
    expect(ids).toContain(await roundtableId('电动车充电难'));
    expect(ids).not.toContain(acting);
    expect(ids).not.toContain(elsewhere);
    const asResident = (await resident2.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(asResident.viewer.may).not.toContain('raise');
    refused(await resident2.get(`/api/problems/${id}/roundtables`), 403, 'not_problem_handler');
  });

  it('carries the photos and the reporters, links both ways, tells the reporters', async () => {
    const photos = [await upload(resident), await upload(resident)];
    const id = await report(resident, { photoIds: photos });
    // A duplicate merged into it: its reporter follows the report, and so co-signs the topic.
    const duplicate = await report(resident2, { description: '2 号楼窗户拉电线充电' });
    expect((await worker.post(`/api/problems/${duplicate}/merge`, { into: id })).statusCode).toBe(
      200,
    );

    const res = await raise(worker, id, raising);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json<ProblemView>();
    expect(view.raised).toMatchObject({ roundtableId: raising, title: '阳光花园停车与电动车充电' });
    expect(view.viewer.may).not.toContain('raise');
    // Taking it to a roundtable answers it: accepted, by whoever raised it, then raised.
    expect(view.events.map((e) => e.kind).slice(-2)).toEqual(['accepted', 'raised']);
    expect(view.status).toBe('accepted');
    const row = await t.app.db
      .selectFrom('problemReports')
      .select(['handlerId', 'resolveBy'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // The roundtable's action items carry the deadlines now, not the report.
    expect(row).toEqual({ handlerId: workerId, resolveBy: null });
    // Nor can it be turned down now: the roundtable has it.
    expect(view.viewer.may).not.toContain('decline');
    // Where each can follow it: the residents take part in the compound's roundtable; the
    // grid worker (of a grid, not the compound) does not, so is offered no link to a 404.
    expect(view.outcome?.open).toBeNull();
    expect((await resident.get(`/api/problems/${id}`)).json<ProblemView>().outcome?.open).toBe(
      'room',
    );
    // Nor on 我的议题, where the topics one raised are listed.
    const mine = (await worker.get('/api/me/roundtables')).json<MyRoundtableWork>();
    expect(mine.topics.find((x) => x.id === view.raised!.topicId)?.open).toBeNull();

    const topic = await t.app.db
      .selectFrom('topics')
      .selectAll()
      .where('id', '=', view.raised!.topicId)
      .executeTakeFirstOrThrow();
    expect(topic).toMatchObject({
      roundtableId: raising,
      raisedBy: workerId,
      category: 'parking',
      status: 'submitted',
      title: '2 号楼楼道口有车长期占道停放',
      location: '阳光花园 · 1号楼 · 2 单元楼道',
      cosignCount: 2,
    });
    expect(topic.description).toContain('地点：幸福社区 · 阳光花园 · 1号楼 · 2 单元楼道');
    const cosigners = await t.app.db
      .selectFrom('topicCosigns')
      .select('userId')
      .where('topicId', '=', topic.id)
      .execute();
    expect(cosigners.map((c) => c.userId).sort()).toEqual([residentId, resident2Id].sort());

    // The photos are copies on the topic, in order, with the same bytes; the report keeps its own.
    const copies = await t.app.db
      .selectFrom('photos')
      .select(['id', 'bytes', 'position', 'uploadedBy'])
      .where('topicId', '=', topic.id)
      .orderBy('position')
      .execute();
    expect(copies.map((p) => p.position)).toEqual([0, 1]);
    expect(copies.every((p) => p.uploadedBy === residentId)).toBe(true);
    expect(Buffer.from(copies[0]!.bytes).equals(PNG)).toBe(true);
    expect(copies.map((p) => p.id)).not.toEqual(photos);
    expect(view.photoIds).toEqual(photos);

    // The topic, on the roundtable's page, says where it came from.
    const rt = (await resident.get(`/api/roundtables/${raising}`)).json<RoundtableView>();
    const shown = rt.topics.find((x) => x.id === topic.id)!;
    expect(shown.fromProblemId).toBe(id);
    expect(shown.photoIds).toEqual(copies.map((p) => p.id));
    expect(shown.cosignedByMe).toBe(true);
    // Screened onto the agenda, it says so in the result (公示) too.
    const accepted = await secretary.post(`/api/topics/${topic.id}/screen`, { decision: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const result = (await secretary.get(`/api/roundtables/${raising}/result`)).json<ResultView>();
    expect(result.topics.find((x) => x.id === topic.id)!.fromProblemId).toBe(id);
    // A topic a resident raised on the roundtable itself comes from no report.
    expect(rt.topics.find((x) => x.title === '楼道里给电动车充电太危险')!.fromProblemId).toBeNull();
    // The reporter sees the copied photo as a topic photo.
    const photo = await resident.get(`/api/photos/${copies[0]!.id}`);
    expect(photo.statusCode).toBe(200);

    // The public list shows it raised; the reporters were told; the audit says who and where.
    const list = (
      await resident2.get(`/api/problems?communityId=${community}`)
    ).json<ProblemList>();
    expect(list.items.find((p) => p.id === id)!.raised?.topicId).toBe(topic.id);
    for (const userId of [residentId, resident2Id]) {
      const told = await t.app.db
        .selectFrom('notifications')
        .select(['params', 'link'])
        .where('userId', '=', userId)
        .where('kind', '=', 'problem_raised')
        .execute();
      expect(told).toEqual([
        {
          params: {
            title: '2 号楼楼道口有车长期占道停放',
            roundtable: '阳光花园停车与电动车充电',
          },
          link: `/problems/${id}`,
        },
      ]);
    }
    const audit = await t.app.db
      .selectFrom('auditLog')
      .select(['actorId', 'details'])
      .where('action', '=', 'problem.raise')
      .where('targetId', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.actorId).toBe(workerId);
    expect(audit.details).toMatchObject({ roundtableId: raising, topicId: topic.id, photos: 2 });
  });

  it('the secretary may raise too; the raiser who reported it does not co-sign their own topic', async () => {
    const id = await report(secretary, { category: 'safety_hazard', description: '消防通道被占' });
    const res = await raise(secretary, id, raising);
    expect(res.statusCode, res.body).toBe(200);
    const topic = await t.app.db
      .selectFrom('topics')
      .select(['category', 'cosignCount'])
      .where('id', '=', res.json<ProblemView>().raised!.topicId)
      .executeTakeFirstOrThrow();
    expect(topic).toEqual({ category: 'safety', cosignCount: 0 });
  });

  it('a duplicate merged in after the raise: its reporter co-signs the topic too; the raised one stays', async () => {
    const id = await report(resident, { description: '3 号楼门口共享单车堆成山' });
    const res = await raise(worker, id, raising);
    expect(res.statusCode, res.body).toBe(200);
    const topicId = res.json<ProblemView>().raised!.topicId;
    const cosigners = async () =>
      (
        await t.app.db
          .selectFrom('topicCosigns')
          .select('userId')
          .where('topicId', '=', topicId)
          .execute()
      )
        .map((c) => c.userId)
        .sort();
    expect(await cosigners()).toEqual([residentId]);

    const [late, lateId] = [resident2, resident2Id];
    const duplicate = await report(late, { description: '3 号楼门口单车太多走不过去' });
    const merged = await worker.post(`/api/problems/${duplicate}/merge`, { into: id });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(await cosigners()).toEqual([residentId, lateId].sort());
    const topic = await t.app.db
      .selectFrom('topics')
      .select('cosignCount')
      .where('id', '=', topicId)
      .executeTakeFirstOrThrow();
    expect(topic.cosignCount).toBe(2);
    const seen = await late.get(`/api/roundtables/${raising}`);
    expect(seen.statusCode, seen.body).toBe(200);
    const rt = seen.json<RoundtableView>();
    expect(rt.topics.find((x) => x.id === topicId)?.cosignedByMe).toBe(true);

    // The raised report is its topic's: it is not merged away into another.
    const other = await report(resident, { description: '3 号楼单车' });
    refused(
      await worker.post(`/api/problems/${id}/merge`, { into: other }),
      409,
      'problem_already_raised',
    );
  });

  it('refuses a resident, another grid’s worker, and every target or state that does not fit', async () => {
    const id = await report(resident);
    refused(await raise(resident, id, raising), 403, 'not_problem_handler');
    refused(await raise(resident2, id, raising), 403, 'not_problem_handler');
    refused(await raise(otherWorker, id, raising), 403, 'not_problem_handler');
    refused(await raise(worker, id, acting), 409, 'roundtable_not_taking_topics');
    refused(await raise(worker, id, elsewhere), 400, 'roundtable_not_in_community');
    refused(
      await raise(worker, id, '00000000-0000-4000-8000-000000000000'),
      400,
      'roundtable_not_in_community',
    );
    refused(await raise(worker, '00000000-0000-4000-8000-000000000000', raising), 404, 'not_found');

    const declined = await report(resident);
    expect(
      (await worker.post(`/api/problems/${declined}/decline`, { reason: '不归社区管' })).statusCode,
    ).toBe(200);
    refused(await raise(worker, declined, raising), 409, 'problem_closed');

    const duplicate = await report(resident);
    expect((await worker.post(`/api/problems/${duplicate}/merge`, { into: id })).statusCode).toBe(
      200,
    );
    refused(await raise(worker, duplicate, raising), 409, 'problem_merged');

    expect((await raise(worker, id, raising)).statusCode).toBe(200);
    refused(await raise(secretary, id, raising), 409, 'problem_already_raised');
    // Nothing half-done by the refusals: one topic, one event.
    const events = await t.app.db
      .selectFrom('problemEvents')
      .select('id')
      .where('problemId', '=', id)
      .where('kind', '=', 'raised')
      .execute();
    expect(events.length).toBe(1);
  });

  it('raised twice at once (into one roundtable, and into two): exactly one wins', async () => {
    // A second roundtable of the community taking topics.
    const second = await t.app.db
      .insertInto('roundtables')
      .values({
        placeId: community,
        title: '幸福社区楼道安全',
        localName: '幸福家园圆桌会',
        location: '社区党群服务中心',
        startsAt: new Date(Date.now() + 2 * 86_400_000),
        chairId: await idOf('secretary'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const extra = await newUser(t.app, '另一位书记');
    await t.app.db
      .insertInto('roleAssignments')
      .values({ userId: extra, role: 'secretary', placeId: community })
      .execute();
    const secondSecretary = await signedIn(t.app, extra);
    for (const [a, b] of [
      [raising, raising],
      [raising, second.id],
    ] as const) {
      for (let round = 0; round < 3; round++) {
        const id = await report(resident);
        const answers = await Promise.all([
          raise(worker, id, a),
          raise(round % 2 ? secretary : secondSecretary, id, b),
        ]);
        expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
        const loser = answers.find((r) => r.statusCode === 409)!;
        expect(loser.json<Err>().error.code).toBe('problem_already_raised');
        const topics = await t.app.db
          .selectFrom('problemReports as r')
          .innerJoin('topics as tp', 'tp.id', 'r.topicId')
          .select('tp.id')
          .where('r.id', '=', id)
          .execute();
        expect(topics.length).toBe(1);
        const made = await t.app.db
          .selectFrom('topics')
          .select('id')
          .where('description', 'like', '2 号楼楼道里有人拉飞线给电动车充电%')
          .where('id', 'not in', (eb) =>
            eb.selectFrom('problemReports').select('topicId').where('topicId', 'is not', null),
          )
          .execute();
        expect(made).toEqual([]);
      }
    }
  });

  it('the database keeps a topic the topic of one report only', async () => {
    const [a, b] = [await report(resident), await report(resident)];
    const res = await raise(worker, a, raising);
    const topicId = res.json<ProblemView>().raised!.topicId;
    await expect(
      t.app.db.updateTable('problemReports').set({ topicId }).where('id', '=', b).execute(),
    ).rejects.toThrow(/problem_reports_topic_once|unique/);
  });

  it('keeps a timeline in written order when events share a moment (the embedded clock is in ms)', async () => {
    const id = await report(resident);
    const at = new Date();
    const kinds = ['accepted', 'raised', 'resolved', 'confirmed'] as const;
    await t.app.db.transaction().execute(async (tx) => {
      for (const kind of kinds)
        await tx
          .insertInto('problemEvents')
          .values({ problemId: id, actorId: workerId, kind, note: null, createdAt: at })
          .execute();
    });
    const view = (await resident.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(view.events.map((e) => e.kind)).toEqual(['submitted', ...kinds]);
  });
});
