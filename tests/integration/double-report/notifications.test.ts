import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbox } from '@tongxin/shared/notifications/notifications';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { TestClient } from '../../support/http.ts';
import { placeIds, unreportedMember } from './setup.ts';

let t: TestApp;
let community: string;
let resident: TestClient;
let member: TestClient;
let secretary: TestClient;

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  const signIn = async (name: string) => {
    const client = new TestClient(t.app);
    await client.login(name, 'tongxin-demo');
    return client;
  };
  [resident, member, secretary] = (await Promise.all(
    ['resident', 'member', 'secretary'].map(signIn),
  )) as [TestClient, TestClient, TestClient];
  community = (await placeIds(secretary)).get('幸福社区')!;
}, 60_000);
afterAll(() => t.close());

const latest = async (c: TestClient) =>
  (await c.get('/api/me/notifications')).json<Inbox>().items[0];
async function ok(c: TestClient, url: string, body: object = {}) {
  const res = await c.post(url, body);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<{ id: string }>();
}

describe(`double-report notifications (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('a wish is reviewed, claimed, delivered and confirmed: each side hears the step that concerns them', async () => {
    const wish = await ok(resident, `/api/communities/${community}/items`, {
      kind: 'wish',
      title: '想要一个助行器',
    });
    await ok(secretary, `/api/claim-items/${wish.id}/moderate`, { decision: 'approve' });
    expect(await latest(resident)).toMatchObject({
      kind: 'wish_reviewed',
      params: { title: '想要一个助行器', decision: 'approve' },
    });

    const claim = await ok(member, `/api/claim-items/${wish.id}/claims`);
    expect(await latest(resident)).toMatchObject({
      kind: 'item_claimed',
      params: { claimant: '吴党员' },
    });
    await ok(member, `/api/claims/${claim.id}/start`);
    await ok(member, `/api/claims/${claim.id}/deliver`, { note: '已送到' });
    expect(await latest(resident)).toMatchObject({
      kind: 'claim_delivered',
      link: '/double-report/mine',
    });
    await ok(resident, `/api/claims/${claim.id}/confirm`, { rating: 5 });
    expect(await latest(member)).toMatchObject({
      kind: 'claim_confirmed',
      params: { title: '想要一个助行器', rating: '5' },
    });
  });

  it('a member hears whether their report was confirmed, with the reason when not', async () => {
    const newcomer = await unreportedMember(t.app, community);
    const report = await ok(newcomer, `/api/communities/${community}/member-reports`, {
      unitName: '区税务局',
    });
    await ok(secretary, `/api/member-reports/${report.id}/review`, {
      decision: 'reject',
      reason: '请先转入组织关系',
    });
    expect(await latest(newcomer)).toMatchObject({
      kind: 'member_report_reviewed',
      params: { decision: 'reject', reason: '请先转入组织关系', community: '幸福社区' },
    });
  });
});
