import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';

let t: TestApp;
let chair: TestClient;
let resident: TestClient;
let neighbour: TestClient;
let places: Map<string, string>;

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  [chair, resident, neighbour] = [
    new TestClient(t.app),
    new TestClient(t.app),
    new TestClient(t.app),
  ];
  await chair.login('secretary', 'tongxin-demo');
  await resident.login('resident', 'tongxin-demo');
  await neighbour.login('resident2', 'tongxin-demo');
  const list = (await chair.get('/api/places')).json<{ id: string; name: string }[]>();
  places = new Map(list.map((p) => [p.name, p.id]));
});
afterAll(() => t.close());

async function convene(title = '停车难怎么办') {
  const res = await chair.post('/api/roundtables', {
    placeId: places.get('幸福社区'),
    title,
    localName: '幸福家园圆桌会',
    location: '社区党群服务中心二楼',
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    quorum: 15,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; stage: string; myPart: string }>();
}

async function raise(client: TestClient, roundtableId: string, title: string) {
  const res = await client.post(`/api/roundtables/${roundtableId}/topics`, {
    title,
    category: 'parking',
    description: '晚上车位不够',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

describe('convening', () => {
  it('lets the community secretary convene and be its chair', async () => {
    const rt = await convene();
    expect(rt).toMatchObject({ stage: 'raise', myPart: 'chair' });
    expect((await resident.get('/api/roundtables')).json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: rt.id, localName: '幸福家园圆桌会' })]),
    );
  });

  it('refuses residents, other communities and places that hold no meetings', async () => {
    const body = { title: 'x', localName: 'x', location: 'x', startsAt: new Date().toISOString() };
    expect(
      (await resident.post('/api/roundtables', { ...body, placeId: places.get('幸福社区') }))
        .statusCode,
    ).toBe(403);
    expect(
      (await chair.post('/api/roundtables', { ...body, placeId: places.get('和平社区') }))
        .statusCode,
    ).toBe(403);
    const building = await chair.post('/api/roundtables', {
      ...body,
      placeId: places.get('同心区'),
    });
    expect(building.statusCode).toBe(400);
    expect(building.json().error.field).toBe('placeId');
  });
});

describe('raising, co-signing and screening (提事, 附议, 党支部先议)', () => {
  it('runs the whole raise stage', async () => {
    const rt = await convene();
    const parking = await raise(resident, rt.id, '晚上停车位不够');
    const dup = await raise(neighbour, rt.id, '小区车位太少');
    const dogs = await raise(neighbour, rt.id, '流浪狗伤人');

    // 附议 once each, never one's own.
    const cosigned = await neighbour.post(`/api/topics/${parking}/cosign`, {});
    expect(cosigned.json()).toMatchObject({ cosignCount: 1, cosignedByMe: true });
    expect((await neighbour.post(`/api/topics/${parking}/cosign`, {})).json().error.code).toBe(
      'already_cosigned',
    );
    expect((await resident.post(`/api/topics/${parking}/cosign`, {})).json().error.code).toBe(
      'own_topic',
    );

    // Screening is the chair's alone.
    expect(
      (await resident.post(`/api/topics/${parking}/screen`, { decision: 'accept' })).statusCode,
    ).toBe(403);
    expect(
      (await chair.post(`/api/topics/${parking}/screen`, { decision: 'accept' })).statusCode,
    ).toBe(200);
    const again = await chair.post(`/api/topics/${parking}/screen`, { decision: 'accept' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('topic_already_screened');
    expect(
      (await chair.post(`/api/topics/${dup}/screen`, { decision: 'merge', mergeIntoId: parking }))
        .statusCode,
    ).toBe(200);
    const noReason = await chair.post(`/api/topics/${dogs}/screen`, { decision: 'decline' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error).toMatchObject({
      code: 'decline_reason_missing',
      field: 'reason',
    });
    expect(
      (
        await chair.post(`/api/topics/${dogs}/screen`, {
          decision: 'decline',
          reason: '已转交城管部门处理',
        })
      ).statusCode,
    ).toBe(200);

    // The raiser sees the reason; others do not see the declined topic at all.
    const mine = (await neighbour.get(`/api/roundtables/${rt.id}`)).json<{
      topics: { id: string; status: string; declineReason: string | null }[];
    }>();
    expect(mine.topics.find((x) => x.id === dogs)).toMatchObject({
      status: 'declined',
      declineReason: '已转交城管部门处理',
    });
    const theirs = (await resident.get(`/api/roundtables/${rt.id}`)).json<{
      topics: { id: string; status: string; mergedInto: string | null }[];
    }>();
    expect(theirs.topics.map((x) => x.id)).not.toContain(dogs);
    expect(theirs.topics.find((x) => x.id === dup)).toMatchObject({
      status: 'merged',
      mergedInto: parking,
    });

    const rows = await t.app.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', 'in', [parking, dup, dogs])
      .execute();
    expect(rows.map((r) => r.action).sort()).toEqual([
      'topic.accept',
      'topic.cosign',
      'topic.decline',
      'topic.merge',
      'topic.raise',
      'topic.raise',
      'topic.raise',
    ]);
  });

  it('tells two refusals of one verb apart by their codes', async () => {
    const rt = await convene();
    const a = await raise(resident, rt.id, '垃圾分类点太远');
    const b = await raise(neighbour, rt.id, '楼道灯坏了');
    // Screening: a merge with nowhere to go, and one into the topic itself.
    const missing = await chair.post(`/api/topics/${a}/screen`, { decision: 'merge' });
    const itself = await chair.post(`/api/topics/${a}/screen`, {
      decision: 'merge',
      mergeIntoId: a,
    });
    expect(missing.json().error).toMatchObject({
      code: 'merge_target_missing',
      field: 'mergeIntoId',
    });
    expect(itself.json().error).toMatchObject({
      code: 'merge_target_unusable',
      field: 'mergeIntoId',
    });
    expect([missing.statusCode, itself.statusCode]).toEqual([400, 409]);
    // Co-signing a declined topic is not co-signing it twice.
    await chair.post(`/api/topics/${b}/screen`, { decision: 'decline', reason: '已报物业维修' });
    expect((await resident.post(`/api/topics/${b}/cosign`, {})).json().error.code).toBe(
      'topic_not_open',
    );
  });

  it('reorders the agenda only with every agenda topic listed once', async () => {
    const rt = await convene();
    const a = await raise(resident, rt.id, '议题一');
    const b = await raise(resident, rt.id, '议题二');
    for (const id of [a, b]) await chair.post(`/api/topics/${id}/screen`, { decision: 'accept' });
    const partial = await chair.post(`/api/roundtables/${rt.id}/agenda`, { topicIds: [a] });
    expect(partial.statusCode).toBe(409);
    expect(partial.json().error).toMatchObject({ code: 'agenda_changed', field: 'topicIds' });
    expect(
      (await chair.post(`/api/roundtables/${rt.id}/agenda`, { topicIds: [b, a] })).statusCode,
    ).toBe(200);
    const view = (await resident.get(`/api/roundtables/${rt.id}`)).json<{
      topics: { id: string; agendaPosition: number }[];
    }>();
    expect(view.topics.slice(0, 2).map((x) => [x.id, x.agendaPosition])).toEqual([
      [b, 1],
      [a, 2],
    ]);
  });
});

describe('moving the stage on', () => {
  it('needs an agenda, is the chair’s alone, and says why not', async () => {
    const rt = await convene();
    const empty = await chair.post(`/api/roundtables/${rt.id}/advance`, { from: 'raise' });
    expect(empty.statusCode).toBe(409);
    expect(empty.json().error).toMatchObject({
      code: 'no_agenda',
      message: expect.stringContaining('议程上还没有议题'),
    });
    const topic = await raise(resident, rt.id, '电动车充电');
    await chair.post(`/api/topics/${topic}/screen`, { decision: 'accept' });
    expect(
      (await resident.post(`/api/roundtables/${rt.id}/advance`, { from: 'raise' })).statusCode,
    ).toBe(403);
    const moved = await chair.post(`/api/roundtables/${rt.id}/advance`, { from: 'raise' });
    expect(moved.json()).toMatchObject({ stage: 'discuss' });
    // Raising stays open while discussing; co-signing too. Leaving discuss needs resolutions.
    await raise(neighbour, rt.id, '会上临时提出的议题');
    const stuck = await chair.post(`/api/roundtables/${rt.id}/advance`, { from: 'discuss' });
    expect(stuck.statusCode).toBe(409);
  });

  it('moves once when two parallel calls race', async () => {
    const rt = await convene();
    const topic = await raise(resident, rt.id, '垃圾分类');
    await chair.post(`/api/topics/${topic}/screen`, { decision: 'accept' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        chair.post(`/api/roundtables/${rt.id}/advance`, { from: 'raise' }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    const audit = await t.app.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', rt.id)
      .where('action', '=', 'roundtable.advance')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('lets nobody outside the place raise topics', async () => {
    const rt = await convene();
    const outsider = new TestClient(t.app);
    await outsider.register('outsider');
    const res = await outsider.post(`/api/roundtables/${rt.id}/topics`, {
      title: 'x',
      category: 'other',
    });
    // The meeting is not theirs to see at all (issue 15, item 16).
    expect(res.statusCode).toBe(404);
  });
});
