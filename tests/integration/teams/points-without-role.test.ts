import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_POINTS } from '@tongxin/shared/problems/problems';
import type {
  CatalogueItemView,
  DeskRedemption,
  MyPoints,
  RedemptionView,
} from '@tongxin/shared/teams/teams.schemas';
import { pointsBalance } from '@tongxin/db/teams/points.queries';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { placeIdOf, userIdOf } from '../../support/demo-ids.ts';
import { TestClient } from '../../support/http.ts';
import { newUser, signedIn } from '../../support/people.ts';
import { codeOf } from './setup.ts';

// Points without a role (decision 0022): the demo's delivery rider holds no role in 幸福社区 but
// has points there from a confirmed 随手拍 report. Whoever belongs to a community or has a
// ledger there sees its 积分商城 and redeems from it; nobody else does, and the rest of the
// teams pages still need a role.

let t: TestApp;
let rider: TestClient;
let secretary: TestClient;
let worker: TestClient;
let stranger: TestClient;
let riderId: string;
let strangerId: string;
let community: string;
let building1: string;

const balance = () => pointsBalance(t.app.db, riderId, community);

/** The secretary puts an item in 幸福社区's shop. */
async function item(cost: number, stock: number): Promise<string> {
  const res = await secretary.post(`/api/communities/${community}/catalogue`, {
    name: `物品${Math.random().toString(36).slice(2, 6)}`,
    cost,
    stock,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function stockOf(itemId: string): Promise<number> {
  const row = await t.app.db
    .selectFrom('catalogueItems')
    .select('stock')
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
  return row.stock;
}

/** The rider earns PROBLEM_POINTS as the demo's rider did: a report fixed, then confirmed. */
async function earn(): Promise<void> {
  const sent = await rider.post('/api/problems', {
    communityId: community,
    category: 'safety_hazard',
    description: `1 号楼东侧井盖又松了 ${Math.random().toString(36).slice(2, 6)}`,
    placeId: building1,
  });
  expect(sent.statusCode, sent.body).toBe(201);
  const id = sent.json<{ id: string }>().id;
  for (const [who, verb, body] of [
    [worker, 'accept', {}],
    [worker, 'resolve', {}],
    [rider, 'confirm', { rating: 'satisfied' }],
  ] as const) {
    const res = await who.post(`/api/problems/${id}/${verb}`, body);
    expect(res.statusCode, `${verb}: ${res.body}`).toBe(200);
  }
}

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  rider = new TestClient(t.app);
  const login = await rider.login('rider', 'tongxin-demo');
  expect(login.statusCode, login.body).toBe(200);
  [riderId, community] = await Promise.all([
    userIdOf(t.app.db, 'rider'),
    placeIdOf(t.app.db, '幸福社区'),
  ]);
  building1 = await placeIdOf(t.app.db, '1号楼', await placeIdOf(t.app.db, '阳光花园'));
  secretary = await signedIn(t.app, await userIdOf(t.app.db, 'secretary'));
  worker = await signedIn(t.app, await userIdOf(t.app.db, 'gridworker'));
  strangerId = await newUser(t.app, '路人');
  stranger = await signedIn(t.app, strangerId);
}, 120_000);
afterAll(() => t.close());

describe('积分商城 for whoever has points in the community, role or not', () => {
  it('the demo rider holds no role in 幸福社区, has points there, and its shop has something they cover', async () => {
    expect((await rider.get('/api/double-report/communities')).json()).toEqual([]);
    expect(await balance()).toBeGreaterThanOrEqual(PROBLEM_POINTS);
    const shop = await rider.get(`/api/communities/${community}/catalogue`);
    expect(shop.statusCode, shop.body).toBe(200);
    const items = shop.json<CatalogueItemView[]>();
    // The same shop its residents see.
    expect(items).toEqual(
      (await secretary.get(`/api/communities/${community}/catalogue`)).json<CatalogueItemView[]>(),
    );
    expect(Math.min(...items.map((i) => i.cost))).toBeLessThanOrEqual(await balance());
  });

  it('the rider redeems with enough points: the ledger, 我的积分 and the service desk show it', async () => {
    const before = await balance();
    const id = await item(before, 3);
    const redeemed = await rider.post(`/api/catalogue/${id}/redeem`);
    expect(redeemed.statusCode, redeemed.body).toBe(201);
    const r = redeemed.json<RedemptionView>();
    expect(r).toMatchObject({ cost: before, status: 'pending', balanceAfter: 0 });
    expect(await balance()).toBe(0);
    expect(await stockOf(id)).toBe(2);

    const mine = (await rider.get(`/api/communities/${community}/points/me`)).json<MyPoints>();
    expect(mine.balance).toBe(0);
    expect(mine.entries[0]).toMatchObject({
      delta: -before,
      reason: 'redemption',
      balanceAfter: 0,
    });
    expect((await rider.get('/api/me/points')).json()).toEqual([
      { community: { id: community, name: '幸福社区' }, balance: 0 },
    ]);
    const desk = (await secretary.get(`/api/communities/${community}/redemptions`)).json<
      DeskRedemption[]
    >();
    expect(desk.find((d) => d.id === r.id)).toMatchObject({
      user: { id: riderId, name: '骑手小马' },
      status: 'pending',
    });
    const audit = await t.app.db
      .selectFrom('auditLog')
      .select(['actorId'])
      .where('action', '=', 'points.redeem')
      .where('targetId', '=', r.id)
      .execute();
    expect(audit).toEqual([{ actorId: riderId }]);
  });

  it('short of points, the rider is refused (not_enough_points) and nothing is taken', async () => {
    await earn();
    expect(await balance()).toBe(PROBLEM_POINTS);
    const id = await item(PROBLEM_POINTS + 1, 1);
    const refused = await rider.post(`/api/catalogue/${id}/redeem`);
    expect(refused.statusCode).toBe(409);
    expect(codeOf(refused)).toBe('not_enough_points');
    expect(await balance()).toBe(PROBLEM_POINTS);
    expect(await stockOf(id)).toBe(1);
    const made = await t.app.db
      .selectFrom('redemptions')
      .select('id')
      .where('itemId', '=', id)
      .execute();
    expect(made).toEqual([]);
  });

  it('racing four redemptions with points for one: one, never below zero', async () => {
    expect(await balance()).toBe(PROBLEM_POINTS);
    const id = await item(PROBLEM_POINTS, 10);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => rider.post(`/api/catalogue/${id}/redeem`)),
    );
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.statusCode === 409).map(codeOf)).toEqual(
      Array(3).fill('not_enough_points'),
    );
    expect(await balance()).toBe(0);
    // The stock taken by the refused ones went back with their transactions.
    expect(await stockOf(id)).toBe(9);
  });

  it('with neither a role nor a ledger there: refused (not_in_community), nothing written', async () => {
    const id = await item(1, 5);
    for (const res of [
      await stranger.get(`/api/communities/${community}/catalogue`),
      await stranger.post(`/api/catalogue/${id}/redeem`),
      await stranger.get(`/api/communities/${community}/points/me`),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(codeOf(res)).toBe('not_in_community');
    }
    expect(await stockOf(id)).toBe(5);
    const made = await t.app.db
      .selectFrom('redemptions')
      .select('id')
      .where('userId', '=', strangerId)
      .execute();
    expect(made).toEqual([]);
    // Points in one community open no other's shop.
    const elsewhere = await rider.get(
      `/api/communities/${await placeIdOf(t.app.db, '和平社区')}/catalogue`,
    );
    expect(elsewhere.statusCode).toBe(403);
    expect(codeOf(elsewhere)).toBe('not_in_community');
  });

  it('the rest of the teams pages still need a role', async () => {
    const activities = (await secretary.get(`/api/communities/${community}/activities`)).json<
      Array<{ id: string }>
    >();
    expect(activities.length).toBeGreaterThan(0);
    for (const res of [
      await rider.get(`/api/communities/${community}/stars`),
      await rider.get(`/api/communities/${community}/activities`),
      await rider.get(`/api/communities/${community}/teams`),
      await rider.post(`/api/activities/${activities[0]!.id}/signup`),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(codeOf(res)).toBe('not_in_community');
    }
    // Keeping the shop is the secretary's, as before.
    for (const res of [
      await rider.get(`/api/communities/${community}/redemptions`),
      await rider.post(`/api/communities/${community}/catalogue`, {
        name: '雨衣',
        cost: 1,
        stock: 1,
      }),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(codeOf(res)).toBe('secretary_only');
    }
  });
});
