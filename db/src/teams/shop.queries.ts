import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../create-db.ts';
import type { CatalogueItem } from './teams.tables.ts';

/** 积分商城: the items on offer in a community, cheapest first. */
export function itemsOnOffer(db: DbOrTx, communityId: string): Promise<CatalogueItem[]> {
  return db
    .selectFrom('catalogueItems')
    .selectAll()
    .where('communityId', '=', communityId)
    .where('active', '=', true)
    .orderBy('cost')
    .execute();
}

/** An item still on offer. */
export function findItemOnOffer(db: DbOrTx, id: string): Promise<CatalogueItem | undefined> {
  return db
    .selectFrom('catalogueItems')
    .selectAll()
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
}

export interface NewItem {
  communityId: string;
  name: string;
  description: string;
  cost: number;
  stock: number;
}

export function insertItem(tx: Tx, item: NewItem): Promise<CatalogueItem> {
  return tx.insertInto('catalogueItems').values(item).returningAll().executeTakeFirstOrThrow();
}

export function updateItem(
  tx: Tx,
  id: string,
  edit: Partial<Pick<CatalogueItem, 'name' | 'description' | 'cost' | 'stock'>>,
): Promise<CatalogueItem> {
  return tx
    .updateTable('catalogueItems')
    .set(edit)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function withdrawItem(tx: Tx, id: string): Promise<void> {
  await tx.updateTable('catalogueItems').set({ active: false }).where('id', '=', id).execute();
}

/**
 * Takes one from the stock. The item's row is the queue: one decrement at a time, never
 * below zero. False when none is left.
 */
export async function takeFromStock(tx: Tx, id: string): Promise<boolean> {
  const taken = await tx
    .updateTable('catalogueItems')
    .set((eb) => ({ stock: eb('stock', '-', 1) }))
    .where('id', '=', id)
    .where('stock', '>', 0)
    .returning('stock')
    .executeTakeFirst();
  return taken !== undefined;
}

export function insertRedemption(
  tx: Tx,
  r: { itemId: string; userId: string; communityId: string; cost: number },
) {
  return tx.insertInto('redemptions').values(r).returningAll().executeTakeFirstOrThrow();
}

export function findRedemption(db: DbOrTx, id: string) {
  return db.selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records a pending redemption as handed over; false if it was not pending. */
export async function handOverRedemption(
  tx: Tx,
  id: string,
  by: string,
  now: Date,
): Promise<boolean> {
  const done = await tx
    .updateTable('redemptions')
    .set({ status: 'handed_over', handedOverAt: now, handedOverBy: by })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return done !== undefined;
}

/** The service desk's list: waiting redemptions first, newest first. */
export function deskRedemptions(db: DbOrTx, communityId: string) {
  return db
    .selectFrom('redemptions as r')
    .innerJoin('catalogueItems as c', 'c.id', 'r.itemId')
    .innerJoin('users as u', 'u.id', 'r.userId')
    .select([
      'r.id',
      'r.itemId',
      'c.name as itemName',
      'r.userId',
      'u.displayName as userName',
      'r.cost',
      'r.status',
      'r.createdAt',
      'r.handedOverAt',
    ])
    .where('r.communityId', '=', communityId)
    .orderBy('r.status', 'desc')
    .orderBy('r.createdAt', 'desc')
    .limit(200)
    .execute();
}

/** Minutes of service confirmed for one person in one community. */
export async function confirmedMinutes(
  db: DbOrTx,
  userId: string,
  communityId: string,
): Promise<number> {
  const row = await db
    .selectFrom('signups as s')
    .innerJoin('activities as a', 'a.id', 's.activityId')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('s.serviceMinutes'), sql<string>`0`).as('m'))
    .where('s.userId', '=', userId)
    .where('a.communityId', '=', communityId)
    .where('s.hoursConfirmedAt', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.m);
}

/** 服务之星: a month's (China time, 'YYYY-MM') ten volunteers with the most confirmed hours. */
export async function starsOf(db: DbOrTx, communityId: string, month: string) {
  const rows = await sql<{ userId: string; name: string; minutes: number; activities: number }>`
    select s.user_id, u.display_name as name,
           sum(s.service_minutes)::int as minutes, count(*)::int as activities
    from signups s
    join activities a on a.id = s.activity_id
    join users u on u.id = s.user_id
    where a.community_id = ${communityId}
      and s.hours_confirmed_at is not null and s.service_minutes > 0
      and to_char((a.starts_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM') = ${month}
    group by s.user_id, u.display_name
    order by minutes desc, activities desc, name
    limit 10`.execute(db);
  return rows.rows;
}
