import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { TestClient } from '../../support/http.ts';
import { confirmedMembers, placeIds, reportedUnits } from './setup.ts';

// Races only show with many connections: on PGlite they run too, one at a time.
let t: TestApp;
let secretary: TestClient;
let community: string;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  secretary = new TestClient(t.app);
  await secretary.login('secretary', 'tongxin-demo');
  community = (await placeIds(secretary)).get('幸福社区')!;
}, 60_000);
afterAll(() => t.close());

async function publish(kind: 'project' | 'task', quota = 1) {
  const res = await secretary.post(`/api/communities/${community}/items`, {
    kind,
    title: `${kind}-${Math.random().toString(36).slice(2, 8)}`,
    quota,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const countRows = async (itemId: string) =>
  t.app.db
    .selectFrom('claims')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('itemId', '=', itemId)
    .where('status', '<>', 'withdrawn')
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

describe(`claim races (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('100 units claiming one single-claimant project: one 2xx, 99 × 409, one row, one audit entry', async () => {
    const units = await reportedUnits(t.app, community, 100);
    const itemId = await publish('project');
    const answers = await Promise.all(
      units.map(({ client, unitId }) =>
        client.post(`/api/claim-items/${itemId}/claims`, { unitId }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    for (const a of answers.filter((x) => x.statusCode === 409)) {
      expect(a.json<{ error: { code: string; message: string } }>().error.code).toBe('claim_full');
    }
    expect(await countRows(itemId)).toBe(1);
    const claim = await t.app.db
      .selectFrom('claims')
      .select('id')
      .where('itemId', '=', itemId)
      .executeTakeFirstOrThrow();
    const audits = await t.app.db
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'item.claim')
      .where('targetId', '=', claim.id)
      .execute();
    expect(audits).toHaveLength(1);
    const item = await t.app.db
      .selectFrom('claimItems')
      .select('activeClaims')
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(item.activeClaims).toBe(1);
  }, 120_000);

  it('a quota of 3 with 60 claimants: exactly 3', async () => {
    const members = await confirmedMembers(t.app, community, 60);
    const itemId = await publish('task', 3);
    const answers = await Promise.all(
      members.map((m) => m.post(`/api/claim-items/${itemId}/claims`, {})),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode === 409)).toHaveLength(57);
    expect(answers.every((a) => a.statusCode < 500)).toBe(true);
    expect(await countRows(itemId)).toBe(3);
  }, 120_000);

  it('one member sending 20 claims at once holds one', async () => {
    const [member] = await confirmedMembers(t.app, community, 1);
    const itemId = await publish('task', 5);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => member!.post(`/api/claim-items/${itemId}/claims`, {})),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect(
      answers
        .filter((a) => a.statusCode === 409)
        .map((a) => a.json<{ error: { code: string } }>().error.code),
    ).toEqual(Array(19).fill('already_claimed'));
    expect(await countRows(itemId)).toBe(1);
  }, 60_000);

  it('withdrawals racing new claims on a full task never exceed the quota', async () => {
    const members = await confirmedMembers(t.app, community, 40);
    const itemId = await publish('task', 5);
    const holders = members.slice(0, 5);
    const ids: string[] = [];
    for (const h of holders)
      ids.push((await h.post(`/api/claim-items/${itemId}/claims`, {})).json<{ id: string }>().id);
    const answers = await Promise.all([
      ...holders.map((h, i) => h.post(`/api/claims/${ids[i]}/withdraw`, {})),
      ...members.slice(5).map((m) => m.post(`/api/claim-items/${itemId}/claims`, {})),
    ]);
    expect(answers.every((a) => a.statusCode < 500)).toBe(true);
    const rows = await countRows(itemId);
    expect(rows).toBeLessThanOrEqual(5);
    const item = await t.app.db
      .selectFrom('claimItems')
      .select('activeClaims')
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(item.activeClaims).toBe(rows);
  }, 60_000);
});
