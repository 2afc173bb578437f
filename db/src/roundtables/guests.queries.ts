import { sql } from 'kysely';
import type { DbOrTx } from '../create-db.ts';

/** When the roundtable's guest link was made, if it has one (the token itself is not kept). */
export async function guestLinkOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('roundtableGuestLinks')
    .select(['createdAt'])
    .where('roundtableId', '=', roundtableId)
    .executeTakeFirst();
}

/** Makes or replaces the link: an older token stops working in the same statement. */
export async function putGuestLink(
  db: DbOrTx,
  link: { roundtableId: string; tokenHash: string; createdBy: string },
) {
  return db
    .insertInto('roundtableGuestLinks')
    .values(link)
    .onConflict((oc) =>
      oc.column('roundtableId').doUpdateSet({
        tokenHash: link.tokenHash,
        createdBy: link.createdBy,
        createdAt: sql`now()`,
      }),
    )
    .returning(['createdAt'])
    .executeTakeFirstOrThrow();
}

export async function deleteGuestLink(db: DbOrTx, roundtableId: string): Promise<boolean> {
  const rows = await db
    .deleteFrom('roundtableGuestLinks')
    .where('roundtableId', '=', roundtableId)
    .returning('roundtableId')
    .execute();
  return rows.length > 0;
}

export async function guestLinkMatches(
  db: DbOrTx,
  roundtableId: string,
  tokenHash: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('roundtableGuestLinks')
    .select('roundtableId')
    .where('roundtableId', '=', roundtableId)
    .where('tokenHash', '=', tokenHash)
    .executeTakeFirst();
  return row !== undefined;
}

/** The guest's row at this roundtable, if they are its guest. */
export function findGuest(db: DbOrTx, roundtableId: string, userId: string) {
  return db
    .selectFrom('roundtableGuests')
    .selectAll()
    .where('roundtableId', '=', roundtableId)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

export async function countGuests(db: DbOrTx, roundtableId: string): Promise<number> {
  const row = await db
    .selectFrom('roundtableGuests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('roundtableId', '=', roundtableId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Guests in the order they came, with the name they gave. */
export function guestsOf(db: DbOrTx, roundtableId: string) {
  return db
    .selectFrom('roundtableGuests as g')
    .innerJoin('users as u', 'u.id', 'g.userId')
    .select(['g.userId', 'u.displayName as name', 'g.maySpeak'])
    .where('g.roundtableId', '=', roundtableId)
    .orderBy('g.joinedAt')
    .orderBy('g.userId')
    .execute();
}

export async function setGuestMaySpeak(
  db: DbOrTx,
  roundtableId: string,
  userId: string,
  maySpeak: boolean,
): Promise<boolean> {
  const rows = await db
    .updateTable('roundtableGuests')
    .set({ maySpeak })
    .where('roundtableId', '=', roundtableId)
    .where('userId', '=', userId)
    .returning('userId')
    .execute();
  return rows.length > 0;
}

/** The guest account joins this roundtable as its guest. */
export async function insertGuest(db: DbOrTx, roundtableId: string, userId: string): Promise<void> {
  await db.insertInto('roundtableGuests').values({ roundtableId, userId }).execute();
}
