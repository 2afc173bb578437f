import type { ItemKind, ItemStatus } from '@tongxin/shared/double-report/claims';
import type { DbOrTx } from '../create-db.ts';

export interface NewItem {
  communityId: string;
  kind: ItemKind;
  title: string;
  description: string;
  status: ItemStatus;
  postedBy: string;
  unitId: string | null;
  availability: string | null;
  quota: number;
  dueAt: Date | null;
}

export async function insertItem(db: DbOrTx, item: NewItem): Promise<string> {
  const row = await db
    .insertInto('claimItems')
    .values(item)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Settles a wish awaiting review; false when it was already settled. */
export async function reviewItem(
  db: DbOrTx,
  id: string,
  review: { status: 'open' | 'rejected'; reviewNote: string | null },
): Promise<boolean> {
  const row = await db
    .updateTable('claimItems')
    .set(review)
    .where('id', '=', id)
    .where('status', '=', 'pending_review')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Who holds a place on the item now (its claims that are not withdrawn). */
export function liveClaimsOfItem(db: DbOrTx, itemId: string) {
  return db
    .selectFrom('claims')
    .select(['unitId', 'userId'])
    .where('itemId', '=', itemId)
    .where('status', '<>', 'withdrawn')
    .execute();
}

/** Takes one of the item's places (the counter's CHECK backs up the quota). */
export async function insertClaim(
  db: DbOrTx,
  claim: { itemId: string; userId: string; unitId: string | null },
): Promise<string> {
  await db
    .updateTable('claimItems')
    .set((eb) => ({ activeClaims: eb('activeClaims', '+', 1) }))
    .where('id', '=', claim.itemId)
    .execute();
  const row = await db.insertInto('claims').values(claim).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Items open for claiming in a community (the board's figure). */
export async function openItemCount(db: DbOrTx, communityId: string): Promise<number> {
  const { n } = await db
    .selectFrom('claimItems')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('communityId', '=', communityId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(n);
}
