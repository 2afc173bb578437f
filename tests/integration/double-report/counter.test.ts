import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';

// claim_items.active_claims is a counter kept beside the claims rows (it carries the quota's
// CHECK). The demo once had a confirmed claim on an item counting 0; the database now
// refuses any commit where the two disagree.
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
}, 60_000);
afterAll(() => t.close());

/** Items whose counter is not the number of their claims that are not withdrawn. */
async function disagreeing() {
  const rows = await sql<{ title: string; activeClaims: number; counted: number }>`
    select i.title, i.active_claims as "activeClaims",
           count(cl.id) filter (where cl.status <> 'withdrawn')::int as counted
    from claim_items i left join claims cl on cl.item_id = i.id
    group by i.id having i.active_claims <> count(cl.id) filter (where cl.status <> 'withdrawn')`.execute(
    t.app.db,
  );
  return rows.rows;
}

const itemId = (title: string) =>
  t.app.db
    .selectFrom('claimItems')
    .select(['id', 'activeClaims'])
    .where('title', '=', title)
    .executeTakeFirstOrThrow();

describe(`active claims counter (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('the demo data agrees with itself: 小区绿化认养 counts its confirmed claim', async () => {
    expect(await disagreeing()).toEqual([]);
    expect((await itemId('小区绿化认养')).activeClaims).toBe(1);
  });

  it('a counter changed without its claims is refused at commit', async () => {
    const { id } = await itemId('玻璃厂小区3号楼楼道灯维修');
    await expect(
      t.app.db.updateTable('claimItems').set({ activeClaims: 1 }).where('id', '=', id).execute(),
    ).rejects.toMatchObject({ code: '23514' });
    expect((await itemId('玻璃厂小区3号楼楼道灯维修')).activeClaims).toBe(0);
  });

  it('a claim withdrawn without freeing its place is refused; with it, accepted', async () => {
    const { id } = await itemId('独居老人周末探访');
    const claim = await t.app.db
      .selectFrom('claims')
      .select('id')
      .where('itemId', '=', id)
      .executeTakeFirstOrThrow();
    const withdraw = (tx: typeof t.app.db) =>
      tx.updateTable('claims').set({ status: 'withdrawn' }).where('id', '=', claim.id).execute();
    await expect(withdraw(t.app.db)).rejects.toMatchObject({ code: '23514' });
    await t.app.db.transaction().execute(async (tx) => {
      await withdraw(tx);
      await tx
        .updateTable('claimItems')
        .set((eb) => ({ activeClaims: eb('activeClaims', '-', 1) }))
        .where('id', '=', id)
        .execute();
    });
    expect(await disagreeing()).toEqual([]);
  });
});
