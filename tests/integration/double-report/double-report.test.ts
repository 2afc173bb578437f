import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board, ClaimView, ItemView } from '@tongxin/shared/double-report/claims.schemas';
import { TestClient } from '../../support/http.ts';
import { connect, startLiveApp, waitFor, type LiveTestApp } from '../../support/realtime.ts';
import { confirmedMembers, placeIds, unreportedMember } from './setup.ts';

let t: LiveTestApp;
let secretary: TestClient;
let unitrep: TestClient;
let member: TestClient;
let resident: TestClient;
let neighbour: TestClient;
let places: Map<string, string>;
let community: string;
let unitId: string;

type Err = { error: { code: string; message: string } };

beforeAll(async () => {
  t = await startLiveApp({ demo: true });
  const client = () => new TestClient(t.app);
  [secretary, unitrep, member, resident, neighbour] = [
    client(),
    client(),
    client(),
    client(),
    client(),
  ];
  await secretary.login('secretary', 'tongxin-demo');
  await unitrep.login('unitrep', 'tongxin-demo');
  await member.login('member', 'tongxin-demo');
  await resident.login('resident', 'tongxin-demo');
  await neighbour.login('resident2', 'tongxin-demo');
  places = await placeIds(secretary);
  community = places.get('幸福社区')!;
  const mine = (await unitrep.get('/api/double-report/communities')).json<
    Array<{ id: string; units: Array<{ id: string; name: string }> }>
  >();
  unitId = mine.find((c) => c.id === community)!.units.find((u) => u.name === '区供电公司')!.id;
}, 60_000);
afterAll(() => t.close());

async function post<T>(client: TestClient, url: string, body: unknown, status = 200): Promise<T> {
  const res = await client.post(url, body);
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

async function publish(kind: string, title: string) {
  return post<ItemView>(secretary, `/api/communities/${community}/items`, { kind, title }, 201);
}

describe('double report: reports, lists, claims, fulfilment', () => {
  it('a unit reports with a public commitment and appears on the roll', async () => {
    await post(unitrep, `/api/communities/${community}/unit-reports`, {
      unitId,
      contact: '周代表 138-0000-0000',
      commitment: '每季度开展一次用电安全进社区',
    });
    const roll = (await resident.get(`/api/communities/${community}/reports`)).json<{
      units: Array<{ unit: { name: string }; commitment: string; representatives: unknown[] }>;
    }>();
    const power = roll.units.find((u) => u.unit.name === '区供电公司')!;
    expect(power.commitment).toBe('每季度开展一次用电安全进社区');
    expect(power.representatives.length).toBeGreaterThan(0);
  });

  it('a member reports once, the secretary confirms, then the member may claim', async () => {
    const member = await unreportedMember(t.app, community);
    const task = await publish('task', '帮独居老人代购');
    const early = await member.post(`/api/claim-items/${task.id}/claims`, {});
    expect(early.statusCode).toBe(403);
    expect(early.json<Err>().error.code).toBe('not_reported');

    const report = await post<{ id: string; status: string }>(
      member,
      `/api/communities/${community}/member-reports`,
      { unitName: '区税务局', skills: '财务咨询' },
      201,
    );
    expect(report.status).toBe('pending');
    const again = await member.post(`/api/communities/${community}/member-reports`, {
      unitName: 'x',
    });
    expect(again.statusCode).toBe(409);
    // A resident cannot confirm; the secretary can, once.
    expect(
      (await resident.post(`/api/member-reports/${report.id}/review`, { decision: 'confirm' }))
        .statusCode,
    ).toBe(403);
    await post(secretary, `/api/member-reports/${report.id}/review`, { decision: 'confirm' });
    expect(
      (await secretary.post(`/api/member-reports/${report.id}/review`, { decision: 'confirm' }))
        .statusCode,
    ).toBe(409);

    const claim = await post<ClaimView>(member, `/api/claim-items/${task.id}/claims`, {}, 201);
    expect(claim.status).toBe('claimed');
    expect(claim.canWithdraw).toBe(true);
  });

  it('a project runs claimed → in progress → delivered → confirmed and rated, live on the board', async () => {
    const project = await publish('project', '小区充电桩安装');
    const live = connect(t.wsUrl, `claims-board:${community}`, {
      cookie: resident.cookie!,
      origin: t.origin,
    });
    const board = () => live.doc.getMap('board').get('data') as Board | undefined;
    await waitFor(() => live.provider.synced, 'board synced');

    const claim = await post<ClaimView>(
      unitrep,
      `/api/claim-items/${project.id}/claims`,
      { unitId },
      201,
    );
    await waitFor(
      () => board()?.claims.some((c) => c.claimId === claim.id) ?? false,
      'claim on the board',
    );
    await post(unitrep, `/api/claims/${claim.id}/start`, {});
    // Work has started: no silent withdrawal any more.
    const withdraw = await unitrep.post(`/api/claims/${claim.id}/withdraw`, {});
    expect(withdraw.statusCode).toBe(409);
    expect(withdraw.json<Err>().error.code).toBe('claim_work_started');
    // Nobody confirms before delivery.
    const early = await secretary.post(`/api/claims/${claim.id}/confirm`, { rating: 5 });
    expect(early.statusCode).toBe(409);
    expect(early.json<Err>().error.code).toBe('claim_not_delivered');
    await post(unitrep, `/api/claims/${claim.id}/deliver`, { note: '已安装 6 个充电桩并通过验收' });

    // A resident who did not post it cannot confirm the delivery.
    const byResident = await resident.post(`/api/claims/${claim.id}/confirm`, { rating: 5 });
    expect(byResident.statusCode).toBe(403);
    const done = await post<ClaimView>(secretary, `/api/claims/${claim.id}/confirm`, {
      rating: 5,
      comment: '又快又好',
    });
    expect(done.status).toBe('confirmed');
    await waitFor(
      () => board()?.claims.find((c) => c.claimId === claim.id)?.status === 'confirmed',
      'confirmed on the board',
    );
    const item = (await resident.get(`/api/claim-items/${project.id}`)).json<ItemView>();
    expect(item.status).toBe('closed');
    live.provider.destroy();

    const csv = await secretary.get(`/api/communities/${community}/records.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF类型,名称')).toBe(true);
    expect(csv.body).toMatch(/单位,区供电公司,\d{4}-\d{2}-\d{2},2,1,5/);
  });

  it('a micro-wish is reviewed before it is public and confirmed by the resident who made it', async () => {
    const wish = await post<ItemView>(
      resident,
      `/api/communities/${community}/items`,
      { kind: 'wish', title: '想要一副老花镜' },
      201,
    );
    expect(wish.status).toBe('pending_review');
    expect((await neighbour.get(`/api/claim-items/${wish.id}`)).statusCode).toBe(404);
    const queue = (await secretary.get(`/api/communities/${community}/review-queue`)).json<{
      wishes: Array<{ id: string }>;
    }>();
    expect(queue.wishes.map((w) => w.id)).toContain(wish.id);
    expect(
      (await resident.post(`/api/claim-items/${wish.id}/moderate`, { decision: 'approve' }))
        .statusCode,
    ).toBe(403);
    await post(secretary, `/api/claim-items/${wish.id}/moderate`, { decision: 'approve' });

    const claim = await post<ClaimView>(member, `/api/claim-items/${wish.id}/claims`, {}, 201);
    await post(member, `/api/claims/${claim.id}/deliver`, { note: '已送到张阿姨家' });
    // The resident who made the wish confirms it; her neighbour may not.
    expect(
      (await neighbour.post(`/api/claims/${claim.id}/confirm`, { rating: 5 })).statusCode,
    ).toBe(403);
    const confirmed = await post<ClaimView>(resident, `/api/claims/${claim.id}/confirm`, {
      rating: 5,
    });
    expect(confirmed.status).toBe('confirmed');
    expect((await resident.post(`/api/claims/${claim.id}/confirm`, { rating: 4 })).statusCode).toBe(
      409,
    );
  });
});

describe('refusals are codes', () => {
  it('claiming a full task and claiming unreported are two different refusals', async () => {
    const task = await publish('task', '陪老人就医');
    await post<ClaimView>(member, `/api/claim-items/${task.id}/claims`, {}, 201);
    const [reported] = await confirmedMembers(t.app, community, 1);
    const full = await reported!.post(`/api/claim-items/${task.id}/claims`, {});
    expect(full.statusCode).toBe(409);
    expect(full.json<Err>().error.code).toBe('claim_full');
    const stranger = await unreportedMember(t.app, community);
    const unreported = await stranger.post(`/api/claim-items/${task.id}/claims`, {});
    expect(unreported.statusCode).toBe(403);
    expect(unreported.json<Err>().error.code).toBe('not_reported');
    // The item page asks the same rule whether to offer the button.
    const seen = (await reported!.get(`/api/claim-items/${task.id}`)).json<ItemView>();
    expect(seen.claimBlocker).toBe('full');
  });
});

describe('forbidden paths answer 403', () => {
  it('a resident confirming a delivery', async () => {
    const task = await publish('task', '楼道清理');
    const claim = await post<ClaimView>(member, `/api/claim-items/${task.id}/claims`, {}, 201);
    await post(member, `/api/claims/${claim.id}/deliver`, { note: '完成' });
    const res = await resident.post(`/api/claims/${claim.id}/confirm`, { rating: 3 });
    expect(res.statusCode).toBe(403);
    expect(res.json<Err>().error.code).toBe('confirm_by_community');
  });

  it('a unit claiming for another unit', async () => {
    const project = await publish('project', '老旧小区照明改造');
    const other = await t.app.db
      .insertInto('units')
      .values({ name: '另一家单位', kind: 'enterprise' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await unitrep.post(`/api/claim-items/${project.id}/claims`, { unitId: other.id });
    expect(res.statusCode).toBe(403);
    expect(res.json<Err>().error).toMatchObject({ code: 'not_your_unit', field: 'unitId' });
  });

  it('a member claiming in a community they have not reported to', async () => {
    const peace = places.get('和平社区')!;
    const secretaryId = (await secretary.get('/api/auth/me')).json<{ id: string }>().id;
    const item = await t.app.db
      .insertInto('claimItems')
      .values({
        communityId: peace,
        kind: 'task',
        title: '和平社区的任务',
        status: 'open',
        postedBy: secretaryId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await member.post(`/api/claim-items/${item.id}/claims`, {});
    expect(res.statusCode).toBe(403);
    expect(res.json<Err>().error.code).toBe('not_reported');
  });

  it('a resident publishing a project, or anyone working on a claim that is not theirs', async () => {
    const res = await resident.post(`/api/communities/${community}/items`, {
      kind: 'project',
      title: '我的项目',
    });
    expect(res.statusCode).toBe(403);
    const task = await publish('task', '敲门关爱');
    const claim = await post<ClaimView>(member, `/api/claim-items/${task.id}/claims`, {}, 201);
    expect((await unitrep.post(`/api/claims/${claim.id}/start`, {})).statusCode).toBe(403);
    expect((await resident.post(`/api/claims/${claim.id}/withdraw`, {})).statusCode).toBe(403);
    expect((await resident.get(`/api/communities/${community}/review-queue`)).statusCode).toBe(403);
  });

  it('a stranger to the community cannot read its board, live or not', async () => {
    const stranger = new TestClient(t.app);
    await stranger.register('stranger1');
    expect((await stranger.get(`/api/communities/${community}/board`)).statusCode).toBe(403);
  });
});
