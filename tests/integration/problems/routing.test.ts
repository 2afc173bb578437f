import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemList, ProblemView } from '@tongxin/shared/problems/problems.schemas';
import type { RoutingView } from '@tongxin/shared/problems/routing.schemas';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import type { TestClient } from '../../support/http.ts';
import { newUser, signedIn } from '../../support/people.ts';
import { userIdOf, placeIdOf } from '../../support/demo-ids.ts';

/** 分类派单: the secretary routes a category to a unit or a team; only that owner answers it. */
let t: TestApp;
let now = Date.now();
const HOUR = 3600_000;

let rider: TestClient;
let worker: TestClient;
let secretary: TestClient;
let unitRep: TestClient;
let leader: TestClient;
let workerId: string;
let unitRepId: string;
let leaderId: string;
let community: string;
let building1: string;
let powerCompany: string;
let team: string;

type Err = { error: { code: string } };

const idOf = (username: string) => userIdOf(t.app.db, username);

const placeId = (name: string, parent?: string) => placeIdOf(t.app.db, name, parent);

async function report(category: string, description: string) {
  const res = await rider.post('/api/problems', {
    communityId: community,
    category,
    description,
    placeId: building1,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function told(userId: string, id: string) {
  const rows = await t.app.db
    .selectFrom('notifications')
    .select('link')
    .where('userId', '=', userId)
    .where('kind', '=', 'problem_submitted')
    .execute();
  return rows.some((r) => r.link === `/problems/${id}`);
}

const route = (client: TestClient, category: string, body: Record<string, unknown>) =>
  client.post('/api/problems/routing', { communityId: community, category, ...body });

beforeAll(async () => {
  t = await buildTestApp({ demo: true, now: () => new Date(now) });
  [workerId, unitRepId, leaderId] = await Promise.all([
    idOf('gridworker'),
    idOf('unitrep'),
    idOf('leader'),
  ]);
  rider = await signedIn(t.app, await idOf('rider'));
  worker = await signedIn(t.app, workerId);
  secretary = await signedIn(t.app, await idOf('secretary'));
  unitRep = await signedIn(t.app, unitRepId);
  leader = await signedIn(t.app, leaderId);
  community = await placeId('幸福社区');
  building1 = await placeId('1号楼', await placeId('阳光花园'));
  powerCompany = (
    await t.app.db
      .selectFrom('units')
      .select('id')
      .where('name', '=', '区供电公司')
      .executeTakeFirstOrThrow()
  ).id;
  team = (
    await t.app.db
      .selectFrom('teamMembers')
      .select('teamId')
      .where('userId', '=', leaderId)
      .where('role', '=', 'leader')
      .executeTakeFirstOrThrow()
  ).teamId;
}, 120_000);
afterAll(() => t.close());

describe('分类派单: per-community category routing', () => {
  it('only the community secretary sets a route, and only to a reported unit or its own team', async () => {
    const byWorker = await route(worker, 'parking', { ownerKind: 'unit', ownerId: powerCompany });
    expect(byWorker.statusCode).toBe(403);
    expect(byWorker.json<Err>().error.code).toBe('not_community_secretary');

    const stranger = await route(secretary, 'parking', {
      ownerKind: 'unit',
      ownerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json<Err>().error.code).toBe('route_owner_invalid');

    const gridWithOwner = await route(secretary, 'parking', {
      ownerKind: 'grid',
      ownerId: powerCompany,
    });
    expect(gridWithOwner.json<Err>().error.code).toBe('route_owner_invalid');

    const view = (
      await secretary.get(`/api/problems/routing?communityId=${community}`)
    ).json<RoutingView>();
    expect(view.mayEdit).toBe(true);
    expect(view.routes).toHaveLength(7);
    expect(view.units.map((u) => u.id)).toContain(powerCompany);
    const asWorker = (
      await worker.get(`/api/problems/routing?communityId=${community}`)
    ).json<RoutingView>();
    expect(asWorker.mayEdit).toBe(false);
  });

  it('a routed category goes to the unit contact, and the grid worker can no longer act on it', async () => {
    const set = await route(secretary, 'parking', {
      ownerKind: 'unit',
      ownerId: powerCompany,
      respondHours: 5,
    });
    expect(set.statusCode, set.body).toBe(200);
    const parking = set.json<RoutingView>().routes.find((r) => r.category === 'parking')!;
    expect(parking).toMatchObject({
      ownerKind: 'unit',
      owner: { id: powerCompany, name: '区供电公司' },
      respondHours: 5,
      ownLimits: true,
    });
    const audit = await t.app.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'problem.route.set')
      .execute();
    expect(audit.length).toBeGreaterThan(0);

    const id = await report('parking', '1 号楼门口长期占道停车');
    expect(await told(unitRepId, id)).toBe(true);
    expect(await told(workerId, id)).toBe(false);

    // The community's own time limit: answered within 5 hours, not the default 24.
    const view = (await unitRep.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(new Date(view.respondBy).getTime() - now).toBe(5 * HOUR);
    expect(view.viewer.part).toBe('handler');
    expect(view.viewer.may).toEqual(expect.arrayContaining(['accept', 'decline']));

    const asWorker = (await worker.get(`/api/problems/${id}`)).json<ProblemView>();
    expect(asWorker.viewer.may).toEqual([]);
    const refused = await worker.post(`/api/problems/${id}/accept`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json<Err>().error.code).toBe('not_problem_handler');

    const workerList = (await worker.get('/api/problems/to-handle')).json<ProblemList>();
    expect(workerList.items.map((p) => p.id)).not.toContain(id);
    const repList = (await unitRep.get('/api/problems/to-handle')).json<ProblemList>();
    expect(repList.items.map((p) => p.id)).toContain(id);

    const accepted = await unitRep.post(`/api/problems/${id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<ProblemView>().handler).toBe('周代表');
    const resolved = await unitRep.post(`/api/problems/${id}/resolve`, { note: '已劝离' });
    expect(resolved.statusCode, resolved.body).toBe(200);
  });

  it('the secretary may always act on a routed report', async () => {
    const id = await report('parking', '消防通道被占');
    const accepted = await secretary.post(`/api/problems/${id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
  });

  it('a category routed to a service team is answered by its leaders', async () => {
    expect(
      (await route(secretary, 'rubbish', { ownerKind: 'team', ownerId: team })).statusCode,
    ).toBe(200);
    const id = await report('rubbish', '垃圾桶满了没人清');
    expect(await told(leaderId, id)).toBe(true);
    expect(await told(workerId, id)).toBe(false);
    expect((await worker.post(`/api/problems/${id}/accept`, {})).statusCode).toBe(403);
    expect((await leader.post(`/api/problems/${id}/accept`, {})).statusCode).toBe(200);
  });

  it('clearing a route gives new reports back to the grid worker; reports made keep their owner', async () => {
    const before = await report('parking', '共享单车堆在门口');
    const cleared = await secretary.post('/api/problems/routing/clear', {
      communityId: community,
      category: 'parking',
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json<RoutingView>().routes.find((r) => r.category === 'parking')).toMatchObject({
      ownerKind: 'grid',
      owner: null,
      respondHours: 24,
      ownLimits: false,
    });

    const after = await report('parking', '电动车堵住楼道口');
    expect(await told(workerId, after)).toBe(true);
    expect((await worker.post(`/api/problems/${after}/accept`, {})).statusCode).toBe(200);
    // The earlier one was routed to the unit when made, and stays with it.
    expect((await worker.post(`/api/problems/${before}/accept`, {})).statusCode).toBe(403);
    expect((await unitRep.post(`/api/problems/${before}/accept`, {})).statusCode).toBe(200);
    now += HOUR;
  });
});

describe('网格员 invitations', () => {
  it('the secretary invites a grid worker to a grid, never to the whole community', async () => {
    const toCommunity = await secretary.post('/api/invitations', {
      role: 'grid_worker',
      placeId: community,
    });
    expect(toCommunity.statusCode).toBe(400);
    expect(toCommunity.json<Err>().error.code).toBe('grid_worker_needs_grid');

    const grid = await placeId('第二网格', community);
    const invited = await secretary.post('/api/invitations', {
      role: 'grid_worker',
      placeId: grid,
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const newcomerId = await newUser(t.app, '新网格员');
    const newcomer = await signedIn(t.app, newcomerId);
    const accepted = await newcomer.post('/api/invitations/accept', {
      code: invited.json<{ code: string }>().code,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const role = await t.app.db
      .selectFrom('roleAssignments')
      .select('placeId')
      .where('userId', '=', newcomerId)
      .where('role', '=', 'grid_worker')
      .executeTakeFirstOrThrow();
    expect(role.placeId).toBe(grid);
  });
});
